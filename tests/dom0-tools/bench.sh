#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench: host-side create+destroy cycle figures (tests/dom0-tools/bench_cycle.c),
# with Debian's vmlinux when the fixture is cached, else a synthetic kernel.
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}
K=$B/fixtures/vmlinux
if [ -s "$K" ]; then nice "$B/dom0-tools/bench_cycle" "$K" 20 128; fi
nice "$B/dom0-tools/bench_cycle" "" 20 128
