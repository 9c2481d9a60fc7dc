# One command surface for humans, pre-commit and .ci/run.

PYTHON ?= python3
CONFORMANCE_DIR ?= ../shared/conformance
MIN_PASS_RATE ?= 0.0
NESTED_MIN_PASS_RATE ?= 0.0
MOCKS_MIN_PASS_RATE ?= 0.0
CONFORMANCE_ARGS ?=

.PHONY: install ensure-installed example test lint conformance conformance-distributed conformance-nested conformance-mocks bench bench-distributed crash

install:
	$(PYTHON) -m pip install -e '.[dev]'

# Install only when the package, its `sfn` command or the dev tools are missing.
ensure-installed:
	@$(PYTHON) -c "import orchestrator, workers, pytest, boto3" 2>/dev/null && command -v sfn >/dev/null \
		|| $(MAKE) install PYTHON=$(PYTHON)

example: ensure-installed
	sfn run examples/hello/machine.asl.json --tasks examples/hello/tasks.py \
		--input @examples/hello/input.json --time-skipping --history

test: ensure-installed
	$(PYTHON) -m pytest -q

lint: ensure-installed
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy orchestrator workers

# Runs the AWS-recorded conformance corpus (JSONPath and JSONata, variables included) against `sfn server`.
conformance: ensure-installed
	$(PYTHON) $(CONFORMANCE_DIR)/check.py \
		--categories pure,lambda-emulable,static \
		--server-cmd "sfn server --host 127.0.0.1 --port {port} --lambda-endpoint {lambda_url} --time-skipping" \
		--min-pass-rate $(MIN_PASS_RATE) $(CONFORMANCE_ARGS)

# The nested-execution cases (states:startExecution, .sync, .sync:2) of the needs-services category: they
# need no service beyond ours. The account id is the recordings', because their inputs name the child
# state machines by ARN. The cross-account (Credentials) cases need a second AWS account.
conformance-nested: ensure-installed
	$(PYTHON) $(CONFORMANCE_DIR)/check.py \
		--categories needs-services --only-tag task:optimized:states --exclude-tag field:Credentials \
		--server-cmd "sfn server --host 127.0.0.1 --port {port} --lambda-endpoint {lambda_url} --time-skipping --account-id 111111111111" \
		--min-pass-rate $(NESTED_MIN_PASS_RATE) $(CONFORMANCE_ARGS)

# The corpus's mock variants (Step Functions Local mock configurations reproducing recorded AWS runs),
# run with our mocking in embedded mode; the checker does not run them (tools/mock_variants.py).
conformance-mocks: ensure-installed
	$(PYTHON) tools/mock_variants.py --cases $(CONFORMANCE_DIR)/cases --min-pass-rate $(MOCKS_MIN_PASS_RATE)

# The same corpus against a local distributed deployment (redis-server, 2 coordinators, 2 Celery
# workers behind `sfn server --redis`); Wait and time-out cases are left out: they take real time there.
conformance-distributed: ensure-installed
	$(PYTHON) $(CONFORMANCE_DIR)/check.py \
		--categories pure,lambda-emulable,static \
		--exclude-tag state:Wait --exclude-tag field:TimeoutSeconds --exclude-tag field:HeartbeatSeconds \
		--exclude-tag retry:IntervalSeconds --timeout 60 \
		--server-cmd "sfn cluster --port {port} --lambda-endpoint {lambda_url} --coordinators 2 --workers 2 --log-level warning" \
		--min-pass-rate $(MIN_PASS_RATE) $(CONFORMANCE_ARGS)

# The embedded engine against moto's Step Functions interpreter (a few minutes; not part of CI).
bench: ensure-installed
	$(PYTHON) bench/embedded_vs_moto.py $(BENCH_ARGS)

# The distributed runtime against hand-written Celery on the same Redis (about 2 minutes; not part of CI).
bench-distributed: ensure-installed
	$(PYTHON) bench/distributed_vs_celery.py --markdown $(BENCH_ARGS)

# Crash tests of the distributed runtime (kill -9 a worker, a coordinator; restart Redis), with figures.
crash: ensure-installed
	$(PYTHON) bench/crash.py $(CRASH_ARGS)
