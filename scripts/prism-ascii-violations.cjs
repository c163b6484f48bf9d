// Loaded into the Prism mock with --require (see mock.ts). Prism 5.14.2 sends
// its violation messages as raw JSON in an `sl-violations` header; when a
// message holds a character outside Latin-1 (the enum of countries lists
// "Côte d’Ivoire"), Node refuses the header and Prism drops the connection.
// Escaping non-ASCII characters as JSON \u sequences keeps the same JSON in a
// header Node accepts.
const http = require("node:http");

const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function (name, value) {
  if (typeof value === "string" && String(name).toLowerCase() === "sl-violations") {
    value = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  return setHeader.call(this, name, value);
};
