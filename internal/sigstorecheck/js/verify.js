// verify.js checks one Sigstore bundle with npm's @sigstore/verify, as
// an oracle for the Go tests (internal/testenv.SigstoreJS runs it), at the
// verifier's default thresholds: one SCT, one transparency log entry and
// one timestamp.
//
// It reads one JSON object on stdin:
//   root        a trusted_root.json
//   bundle      a Sigstore bundle
//   identities  any one of them must match the signing certificate:
//               {san, issuer, extensions: {"<Fulcio OID>": "<value>"}}
//   sha256      if set, the lowercase hex digest that the bundle's in-toto
//               statement must name as its one subject's sha256
//               (@sigstore/verify does not look inside the statement)
//
// and writes one JSON line: {"verified": true, "san": "..."} or
// {"verified": false, "code": "...", "message": "..."}.
"use strict";

const { Verifier, toSignedEntity, toTrustMaterial } = require("@sigstore/verify");
const { bundleFromJSON } = require("@sigstore/bundle");
const { TrustedRoot } = require("@sigstore/protobuf-specs");

const inTotoPayloadType = "application/vnd.in-toto+json";

// derUTF8String encodes s as Fulcio encodes its extensions from
// 1.3.6.1.4.1.57264.1.8 on: a DER UTF8String, which is what
// @sigstore/verify compares an OID policy's value with.
function derUTF8String(s) {
  const body = Buffer.from(s, "utf8");
  let length;
  if (body.length < 0x80) {
    length = Buffer.from([body.length]);
  } else {
    const n = [];
    for (let l = body.length; l > 0; l >>= 8) n.unshift(l & 0xff);
    length = Buffer.from([0x80 | n.length, ...n]);
  }
  return Buffer.concat([Buffer.from([0x0c]), length, body]);
}

// policy turns an identity into @sigstore/verify's policy, whose SAN is a
// regular expression: anchored and escaped here, for an exact match.
function policy(id) {
  return {
    subjectAlternativeName: "^" + id.san.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$",
    extensions: { issuer: id.issuer },
    oids: Object.entries(id.extensions || {}).map(([oid, value]) => ({
      oid: { id: oid.split(".").map(Number) },
      value: derUTF8String(value),
    })),
  };
}

class SubjectError extends Error {
  constructor(message) {
    super(message);
    this.code = "SUBJECT_ERROR";
  }
}

// checkSubject checks that the DSSE payload is an in-toto statement with
// one subject whose sha256 is want.
function checkSubject(bundle, want) {
  const env = bundle.dsseEnvelope;
  if (!env || env.payloadType !== inTotoPayloadType) {
    throw new SubjectError(`payload type is not ${inTotoPayloadType}`);
  }
  const statement = JSON.parse(Buffer.from(env.payload, "base64").toString("utf8"));
  const subjects = statement.subject || [];
  if (subjects.length !== 1) {
    throw new SubjectError(`expected 1 subject, got ${subjects.length}`);
  }
  const got = (subjects[0].digest || {}).sha256;
  if (got !== want) {
    throw new SubjectError(`subject digest mismatch: expected sha256 ${want}, got ${got}`);
  }
}

function verify(input) {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(input.root)));
  const entity = toSignedEntity(bundleFromJSON(input.bundle));
  let signer;
  let refusal;
  for (const id of input.identities) {
    try {
      signer = verifier.verify(entity, policy(id));
      break;
    } catch (e) {
      refusal = e;
    }
  }
  if (!signer) {
    throw refusal || new Error("no identity to verify against");
  }
  if (input.sha256) {
    checkSubject(input.bundle, input.sha256);
  }
  return { verified: true, san: signer.identity.subjectAlternativeName };
}

let stdin = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => (stdin += d));
process.stdin.on("end", () => {
  let answer;
  try {
    answer = verify(JSON.parse(stdin));
  } catch (e) {
    answer = { verified: false, code: e.code || e.name, message: e.message };
  }
  console.log(JSON.stringify(answer));
});
