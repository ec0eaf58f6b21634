#!/bin/sh
# Kill safety of `themedb build`: a build over an existing theme.db is killed with
# SIGKILL at every stage (THEMEDB_TEST_PAUSE stops it there first), and a build runs
# out of space under a file size limit. Each time the old database must pass
# PRAGMA integrity_check with unchanged contents, and the next build must succeed and
# leave no temporary file behind.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-kill"
rm -rf "$work"
mkdir -p "$work"
failures=0
data="$(pwd)/tests/data/mini"

pass() { echo "ok   $1"; }
fail() {
    echo "FAIL $1"
    failures=$((failures + 1))
}

# The mini sources without the division data, so that each build takes a fraction of
# a second.
sed -e "s|^path = |path = $data/|" -e '/^\[source divisions\]/,/^$/d' "$data/manifest.ini" \
    > "$work/kill.ini"
db="$work/theme.db"
"$THEMEDB" build "$work/kill.ini" -o "$db" -q
"$THEMEDB" hash "$db" > "$work/expected.hash"
cp "$db" "$work/before.db"

# Wait until process $1 is stopped (state T in /proc/PID/stat). Give up after 20 s.
wait_stopped() {
    tries=0
    while [ "$tries" -lt 200 ]; do
        state=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null || echo gone)
        [ "$state" = T ] && return 0
        [ "$state" = gone ] && return 1
        sleep 0.1
        tries=$((tries + 1))
    done
    return 1
}

# The old database is byte-identical, passes the integrity check and hashes as before.
check_old_database() {
    if cmp -s "$db" "$work/before.db"; then pass "$1: old database byte-identical"; else fail "$1: old database changed"; fi
    integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
    if [ "$integrity" = ok ]; then pass "$1: integrity_check ok"; else fail "$1: integrity_check: $integrity"; fi
    if "$THEMEDB" hash "$db" | cmp -s - "$work/expected.hash"; then
        pass "$1: content hash unchanged"
    else
        fail "$1: content hash changed"
    fi
}

# The next build succeeds, gives the same contents and removes stale temporaries.
check_next_build() {
    if "$THEMEDB" build "$work/kill.ini" -o "$db" 2> "$work/next.log"; then
        pass "$1: next build succeeds"
    else
        fail "$1: next build failed"
        cat "$work/next.log"
    fi
    if "$THEMEDB" hash "$db" | cmp -s - "$work/expected.hash"; then
        pass "$1: next build gives the same contents"
    else
        fail "$1: next build gives other contents"
    fi
    leftovers=$(find "$work" -name 'theme.db.tmp-*' | wc -l)
    if [ "$leftovers" -eq 0 ]; then pass "$1: no temporary file left"; else fail "$1: $leftovers temporary files left"; fi
    cp "$db" "$work/before.db"
}

for stage in ingest normalize assemble link quality write finish; do
    THEMEDB_TEST_PAUSE=$stage "$THEMEDB" build "$work/kill.ini" -o "$db" 2> "$work/$stage.log" &
    pid=$!
    if wait_stopped "$pid"; then
        pass "$stage: build stopped at the stage"
    else
        fail "$stage: build did not stop at the stage"
        cat "$work/$stage.log"
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    case $stage in
    write | finish)
        if [ -f "$db.tmp-$pid" ]; then
            pass "$stage: killed build left its temporary file"
        else
            fail "$stage: no temporary file $db.tmp-$pid after the kill"
        fi ;;
    esac
    check_old_database "$stage"
    check_next_build "$stage"
    case $stage in
    write | finish)
        if grep -q "left by an interrupted build: $db.tmp-$pid" "$work/next.log"; then
            pass "$stage: next build reports the removed temporary file"
        else
            fail "$stage: next build does not report removing $db.tmp-$pid"
        fi ;;
    esac
done

# A temporary file whose process still runs belongs to a live build and is kept.
sleep 30 &
live=$!
touch "$db.tmp-$live"
"$THEMEDB" build "$work/kill.ini" -o "$db" -q
if [ -f "$db.tmp-$live" ]; then pass "live build's temporary file kept"; else fail "live build's temporary file removed"; fi
kill "$live" 2>/dev/null || true
wait "$live" 2>/dev/null || true
rm -f "$db.tmp-$live"
cp "$db" "$work/before.db"

# Out of space: the file size limit stops the SQLite write. SIGXFSZ is ignored by the
# engine, so the build fails with a message instead of being killed by the signal.
# dash counts `ulimit -f` in 512-byte blocks: 1000 blocks are below the 1.3 MB output.
status=0
(ulimit -f 1000 && exec "$THEMEDB" build "$work/kill.ini" -o "$db") 2> "$work/fsize.log" || status=$?
if [ "$status" -eq 1 ]; then
    pass "file size limit: build exits with status 1"
else
    fail "file size limit: build exited with status $status"
    cat "$work/fsize.log"
fi
if grep -q "cannot write $db.tmp-[0-9]*: the file size limit of [0-9]* bytes was reached" "$work/fsize.log"; then
    pass "file size limit: error names the file and the limit"
else
    fail "file size limit: unclear error"
    cat "$work/fsize.log"
fi
if grep -q "$db was left unchanged" "$work/fsize.log"; then
    pass "file size limit: error says the target is unchanged"
else
    fail "file size limit: no word on the target"
fi
check_old_database "file size limit"
check_next_build "file size limit"

if [ "$failures" -ne 0 ]; then
    echo "e2e_kill: $failures failures"
    exit 1
fi
echo "e2e_kill: all checks passed"
