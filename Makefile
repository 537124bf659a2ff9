# The two commands of the quick start: `make run` and `make test`.
MVN ?= mvn -B -ntp
JAVA_OPTS ?= -XX:+UseParallelGC -Xms512m -Xmx2g -XX:+ExitOnOutOfMemoryError

.PHONY: run test test-unit test-integration test-system build clean bench cluster cluster-stop cluster-status scale client-pack

build:
	$(MVN) -q -DskipTests install

## One process: gateway on :8080 (PORT overrides), embedded Postgres in ./.data, in-memory presence, dev login.
run: build
	java $(JAVA_OPTS) -jar standalone/target/standalone-all.jar

## Every test tier: unit, integration (real Postgres + Redis), cluster/multi-process and browser.
test:
	scripts/ensure-services.sh --browser
	$(MVN) verify

test-unit:
	$(MVN) test -DskipITs

test-integration:
	scripts/ensure-services.sh
	$(MVN) verify -pl '!system-tests'

test-system: build
	scripts/ensure-services.sh --browser
	$(MVN) verify -pl system-tests

clean:
	$(MVN) -q clean

## The client library's npm package: web-client/target/chat-client-<version>.tgz (docs/client-library.md).
client-pack:
	mkdir -p web-client/target && cd web-client && npm pack --pack-destination target

## Local multi-process cluster: gateways on :8080 and :8081, one of each service and the notifier (it POSTs to
## NOTIFY_WEBHOOK_URL when set, else logs), Hazelcast on 127.0.0.1, the bus in mutual TLS
## with a throwaway CA in cluster-run/certs (scripts/cluster.sh, scripts/cluster-certs.sh).
cluster:
	scripts/cluster.sh start

cluster-stop:
	scripts/cluster.sh stop

cluster-status:
	scripts/cluster.sh status

## Benchmarks (issue 7): the one-process system with rate limits off, driven by loadgen, then the cluster row (two
## gateways and three services as in `make cluster`, load through both gateways; docs/performance.md); prints the table.
## BENCH_ARGS=--readme writes it into docs/performance.md (and a short one into README.md), --quick is a smoke run, --profile adds a JFR summary.
bench: build
	ulimit -n $$(ulimit -Hn); JAVA_OPTS='$(JAVA_OPTS)' scripts/bench.sh $(BENCH_ARGS)

## Scale harness (issue 22, docs/scale.md): N clustered node JVMs register the gateway's bus consumers, one is
## killed and its sockets re-register on the others. SCALE_ARGS e.g. --nodes 5 --registrations 1000000.
scale:
	$(MVN) -q -pl scale -am package -DskipTests
	java -Xmx512m -jar scale/target/scale-all.jar run $(SCALE_ARGS)
