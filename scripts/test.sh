#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, Rust tests (which run cfn-lint
# on every generated template), the Lambda handler tests against moto, and the
# drift check of out/. Installs what the tests need into .venv when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# Python tools live in a local venv. --system-site-packages reuses what the
# machine already has (cfn-lint, moto, boto3 on some images); pip fills gaps.
step "python test tools (.venv)"
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv --system-site-packages .venv
fi
CFN_LINT_VERSION="$(sed -n 's/^cfn-lint==//p' tests/python-requirements.txt)"
if ! .venv/bin/python -c 'import cfnlint, moto, moto.server, flask, flask_cors, boto3, pytest, PIL' 2>/dev/null \
  || [[ "$(.venv/bin/python -c 'import cfnlint.version as v; print(v.__version__)')" != "$CFN_LINT_VERSION" ]]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/python-requirements.txt
fi
export STACKCRAFT_PYTHON="$PWD/.venv/bin/python"
export STACKCRAFT_CFN_LINT="$PWD/.venv/bin/cfn-lint"
[[ -x $STACKCRAFT_CFN_LINT ]] || STACKCRAFT_CFN_LINT="$(.venv/bin/python -c 'import shutil,sys; print(shutil.which("cfn-lint", path=sys.prefix + "/bin") or shutil.which("cfn-lint") or "")')"
.venv/bin/python -c 'import cfnlint.version as v; print("cfn-lint", v.__version__)'
# The deploy tests run moto in server mode with this Python (tests/deploy_moto.rs).
export STACKCRAFT_MOTO_PYTHON="$PWD/.venv/bin/python"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -- -D warnings"
cargo clippy --all-targets --quiet -- -D warnings

step "synth --all --check (out/ must match a fresh synthesis)"
cargo run --release --quiet -- synth --all --check

step "cargo test"
cargo test --quiet


# checkov has heavy dependencies: it gets a venv of its own. Offline flags:
# without them it calls out to the network (or to kubectl).
# Pinned exactly, like cfn-lint: new checkov releases add checks.
CHECKOV_VERSION=3.3.30
step "checkov $CHECKOV_VERSION on every template in out/ (.venv-checkov)"
if [[ ! -x .venv-checkov/bin/checkov ]] \
  || [[ "$(.venv-checkov/bin/checkov --version)" != "$CHECKOV_VERSION" ]]; then
  python3 -m venv .venv-checkov
  .venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi
mapfile -t templates < <(find out -name '*.template.json' | sort)
((${#templates[@]})) || { echo "no templates in out/"; exit 1; }
args=()
for t in "${templates[@]}"; do args+=(-f "$t"); done
CKV_SKIP_PACKAGE_UPDATE_CHECK=true .venv-checkov/bin/checkov "${args[@]}" \
  --framework cloudformation --skip-download --compact --quiet

# The example blueprint through the command line, as a user runs it: its own
# binary registers it beside ours (examples/pipeline/main.rs).
step "examples/pipeline: synth, check and checkov through the CLI registration"
rm -rf target/example-pipeline
cargo run --quiet --example pipeline -- synth pipeline --out target/example-pipeline
cargo run --quiet --example pipeline -- check pipeline
CKV_SKIP_PACKAGE_UPDATE_CHECK=true .venv-checkov/bin/checkov -f target/example-pipeline/pipeline.template.json \
  --framework cloudformation --skip-download --compact --quiet

step "Lambda handler tests (pytest + moto)"
.venv/bin/python -m pytest -q tests/handlers
