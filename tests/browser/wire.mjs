// wire.mjs — what a page transfers, as the browser itself counts it: the
// Chrome DevTools Protocol's Network events of a page, one record per
// response with its URL, status (and the status on the wire: 304 for a
// revalidated one), headers, whether it came from the HTTP cache, and
// encodedDataLength (the bytes on the wire: headers plus the body as sent,
// compressed or not). The scripts that start Web Workers are not among them:
// Chromium fetches those for the worker and reports no size for them.
// Used by the loading tests and by bench/browser.

/**
 * Starts recording the page's network. Returns { responses, bytes(), stop() }:
 * `responses` fills as loads finish; bytes() sums what they transferred.
 */
export async function recordWire(page) {
  const session = await page.context().newCDPSession(page);
  const byId = new Map();
  const responses = [];
  session.on('Network.responseReceived', ({ requestId, response }) => {
    byId.set(requestId, {
      url: response.url,
      status: response.status,
      headers: lowerCaseKeys(response.headers),
      fromCache: Boolean(response.fromDiskCache || response.fromServiceWorker || response.fromPrefetchCache),
    });
  });
  // The status on the wire: a revalidated response reaches the page as 200
  // from the cache, but the server answered 304.
  const wireStatus = new Map();
  session.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => wireStatus.set(requestId, statusCode));
  session.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const record = byId.get(requestId);
    if (!record) return;
    byId.delete(requestId);
    responses.push({ ...record, wireStatus: wireStatus.get(requestId) ?? null, encodedDataLength });
    wireStatus.delete(requestId);
  });
  await session.send('Network.enable');
  return {
    session,
    responses,
    bytes: () => responses.reduce((sum, r) => sum + r.encodedDataLength, 0),
    stop: () => session.detach().catch(() => {}),
  };
}

/** Chromium's network emulation on the page: `mbits` down and up, `latencyMs` each way. */
export async function emulateNetwork(session, { mbits, latencyMs }) {
  await session.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: latencyMs,
    downloadThroughput: (mbits * 1e6) / 8,
    uploadThroughput: (mbits * 1e6) / 8,
  });
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
