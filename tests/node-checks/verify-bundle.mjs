// node verify-bundle.mjs BUNDLE.json ARTIFACT PUBLIC.pem
// Verifies a Sigstore bundle's message signature over ARTIFACT with @sigstore/verify, trusting only PUBLIC.pem (no
// transparency log, no timestamp authority: a key-based bundle). Prints "verified", or the error and exits 1.
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [bundlePath, artifactPath, keyPath] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
const publicKey = createPublicKey(readFileSync(keyPath));
const trust = toTrustMaterial(
  { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] },
  () => ({ publicKey, validFor: () => true }));
const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
try {
  verifier.verify(toSignedEntity(bundle, readFileSync(artifactPath)));
  console.log('verified');
} catch (error) {
  console.error(`${error.code ?? error.name}: ${error.message}`);
  process.exit(1);
}
