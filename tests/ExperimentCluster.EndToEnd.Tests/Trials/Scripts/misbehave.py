"""Trials that break the protocol, one way each (the first argument says which), for the tests. Those that report
report a loss of 1/epoch, so that they can complete."""
import json
import os
import sys
import time

how = sys.argv[1]
out = sys.stdout.buffer
if how == "silent":
    time.sleep(3600)
if how == "exit0":
    print("done already, nothing to report", flush=True)
    sys.exit(0)
for epoch in range(1, int(os.environ["EXCL_MAX_EPOCHS"]) + 1):
    if how == "garbage":
        out.write(bytes(range(256)) + b"\xff\xfe\x00\n")
        out.write(b'{"epoch": ' + str(epoch).encode() + b', "val_loss": }\n')
        out.write(b"{not json at all}\n{\"epoch\": 0, \"val_loss\": 1}\n{\"epoch\": 1\n")
    if how == "long_line":
        out.write(b"x" * (5 << 20))
        out.write(b"\n")
    out.write(json.dumps({"epoch": epoch, "val_loss": 1 / epoch}).encode() + b"\n")
    out.flush()
