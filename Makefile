# Shortcuts for developers; the README's two commands are scripts/run.sh and scripts/test.sh.
.PHONY: run test fmt lint bench app

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

app:
	bash scripts/build-app.sh debug

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run typecheck

bench:
	cargo run --release -p vardesk-cli -- bench
