// Pyodide's types where www/cpython/worker.js imports it: build-cpython.sh
// copies the package to dist/pyodide/, which the worker imports by that
// relative path; tsconfig.json's rootDirs lays this directory over www/ so
// that the same path finds the package's typings.
export * from 'pyodide';
