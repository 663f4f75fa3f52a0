#!/usr/bin/env bash
# Paired whole-process comparison of `cdk synth` and `stackcraft synth
# --stdout` for each blueprint (README, Speed). Not part of the test suite
# or CI: it installs the AWS CDK from the npm registry into $CDK_DIR.
#
#   bash scripts/cdk_compare.sh          # ROUNDS=5 alternating runs each
#
# The CDK app (scripts/cdk_compare/app.js) builds the same architecture:
# every template stackcraft writes for the blueprint (out/), one CDK stack
# each, read through CfnInclude into L1 constructs, then synthesized.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DIR=${CDK_DIR:-${TMPDIR:-/tmp}/stackcraft-cdk}
mkdir -p "$CDK_DIR"
cp scripts/cdk_compare/app.js "$CDK_DIR/app.js"
echo '{"app": "node app.js"}' > "$CDK_DIR/cdk.json"
if [ ! -x "$CDK_DIR/node_modules/.bin/cdk" ]; then
  (cd "$CDK_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund \
    aws-cdk-lib@2.276.0 constructs@10.8.1 aws-cdk@2.1148.1 >/dev/null)
fi
cargo build --release --quiet --bin stackcraft
# Run a copy, as `cargo install` would place it: the linker's output file
# in target/ pays several times the page-fault time of a copied file on
# this machine's ext4 (its page cache is not in large folios).
cp target/release/stackcraft "$CDK_DIR/stackcraft"
python3 scripts/cdk_compare/paired.py "$CDK_DIR/stackcraft"
