// The smoke page's script: navigator.credentials.create, then .get over the challenge in the address.
// Results go into <pre id="registration"> and <pre id="assertion"> as JSON (bytes as unpadded base64url),
// failures into <pre id="error">, for webauthn_smoke.py to read.
"use strict";

const params = new URLSearchParams(location.search);
const rpId = location.hostname;
const userVerification = params.get("uv") || "required";
let credentialId = null;

function toBase64URL(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64URL(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function show(id, value) {
  document.getElementById(id).textContent = JSON.stringify(value);
}

async function register() {
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { id: rpId, name: "sigit smoke test" },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "counterparty", displayName: "Counterparty" },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: { residentKey: "preferred", userVerification },
      attestation: "none",
    },
  });
  credentialId = credential.rawId;
  if (typeof credential.response.getPublicKey !== "function") {
    throw new Error("this browser has no AuthenticatorAttestationResponse.getPublicKey()");
  }
  show("registration", {
    credentialId: toBase64URL(credential.rawId),
    spki: toBase64URL(credential.response.getPublicKey()),
    algorithm: credential.response.getPublicKeyAlgorithm(),
  });
  document.getElementById("approve").disabled = false;
}

async function approve() {
  const challenge = params.get("challenge");
  if (!challenge) throw new Error("no ?challenge= in the address");
  const assertion = await navigator.credentials.get({
    publicKey: {
      challenge: fromBase64URL(challenge),
      rpId,
      allowCredentials: [{ type: "public-key", id: credentialId }],
      userVerification,
    },
  });
  show("assertion", {
    authenticatorData: toBase64URL(assertion.response.authenticatorData),
    clientDataJSON: toBase64URL(assertion.response.clientDataJSON),
    signature: toBase64URL(assertion.response.signature),
  });
}

function guarded(action) {
  return () => action().catch((error) => { document.getElementById("error").textContent = `${error.name}: ${error.message}`; });
}

document.getElementById("register").addEventListener("click", guarded(register));
document.getElementById("approve").addEventListener("click", guarded(approve));
