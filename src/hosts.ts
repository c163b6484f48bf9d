// The host rules the client, the fake account and the proxy share: what an
// account name may be, and where the API key may travel over plain http:.

/** An account name: the first label of its host name. */
export const hostLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** The hosts the API key may travel to over plain http:. */
export const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
