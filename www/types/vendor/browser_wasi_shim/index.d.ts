// The WASI shim's types where www/ imports it: build-web.sh copies the
// package's dist/ to dist/vendor/browser_wasi_shim/, which the host modules
// import by that relative path; tsconfig.json's rootDirs lays this
// directory over www/ so that the same path finds the package's typings.
export * from '@bjorn3/browser_wasi_shim';
