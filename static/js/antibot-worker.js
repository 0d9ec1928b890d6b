/* Solves an ALTCHA v2 proof-of-work challenge (PBKDF2/SHA-256) off the page's thread.
 * The derivation matches the altcha Python library's verify_solution: the password is the nonce's
 * bytes followed by the counter as a big-endian 32-bit integer, the salt is the salt's bytes, and the
 * derived key (keyLength bytes) must start with the hex keyPrefix. booking/antibot/pow.py issues it. */
"use strict";

var HASHES = { "PBKDF2/SHA-512": "SHA-512", "PBKDF2/SHA-384": "SHA-384" };

function hexToBytes(hex) {
  var bytes = new Uint8Array(hex.length / 2);
  for (var i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  }
  return bytes;
}

function bytesToHex(bytes) {
  var hex = "";
  for (var i = 0; i < bytes.length; i++) {
    hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  }
  return hex;
}

async function solve(parameters) {
  var nonce = hexToBytes(parameters.nonce);
  var salt = hexToBytes(parameters.salt);
  var prefix = String(parameters.keyPrefix).toLowerCase();
  var hash = HASHES[parameters.algorithm] || "SHA-256";
  var password = new Uint8Array(nonce.length + 4);
  password.set(nonce);
  var view = new DataView(password.buffer);
  for (var counter = 0; counter <= 0xffffffff; counter++) {
    view.setUint32(nonce.length, counter, false);
    var key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
    var bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: hash, salt: salt, iterations: parameters.cost },
      key,
      parameters.keyLength * 8
    );
    var derived = bytesToHex(new Uint8Array(bits));
    if (derived.indexOf(prefix) === 0) {
      return { counter: counter, derivedKey: derived };
    }
  }
  throw new Error("no solution");
}

self.onmessage = function (event) {
  solve(event.data.parameters).then(
    function (solution) { self.postMessage({ solution: solution }); },
    function (error) { self.postMessage({ error: String(error) }); }
  );
};
