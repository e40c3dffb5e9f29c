// @ts-check
// landing.js — the front page forwards to the playground at once, keeping the
// fragment, so a link to the site's root with a shared state opens it.
location.replace(`app/${location.hash}`);
