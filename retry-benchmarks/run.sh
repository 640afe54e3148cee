#!/usr/bin/env bash
# Reproduces every figure of BENCHMARKS.md, from the repository root:
#   bash retry-benchmarks/run.sh
# About 10 minutes on 2 cores. Results go to retry-benchmarks/target/results/.
# JMH_ARGS replaces the JMH options (default: 2 forks, each 5 x 1 s warm-up, 5 x 1 s measured).
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl retry-benchmarks -am package -DskipTests
jar=retry-benchmarks/target/benchmarks.jar
out=retry-benchmarks/target/results
mkdir -p "$out"
# the same fixed heap for every main program, so that no contender gets a bigger young gen
jvm=(-Xms512m -Xmx512m)
pkg=io.github.retrystarter.benchmarks

# shellcheck disable=SC2086
java -jar "$jar" SuccessPath ${JMH_ARGS:--f 2 -wi 5 -i 5 -w 1 -r 1} -prof gc \
    -rf csv -rff "$out/success-path.csv" > "$out/success-path.txt"
java -cp "$jar" "$pkg.Ratios" "$out/success-path.csv" | tee "$out/success-path.md"

for contender in RETRY_STARTER RETRY_STARTER_CORE RESILIENCE4J FAILSAFE; do
    java "${jvm[@]}" -cp "$jar" "$pkg.AsyncScale" "$contender"
done | tee "$out/async-scale.txt"

for mode in plain blocking; do
    for contender in RETRY_STARTER RETRY_STARTER_CORE RESILIENCE4J FAILSAFE; do
        java "${jvm[@]}" -cp "$jar" "$pkg.TimerAccuracy" "$contender" "$mode"
    done
done | tee "$out/timer-accuracy.txt"
