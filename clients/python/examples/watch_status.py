#!/usr/bin/env python3
"""Prints every agent status change of a panecast fleet, one line each.

    PANECAST_TOKEN=pc_... python3 clients/python/examples/watch_status.py --url http://127.0.0.1:3000
"""

import argparse
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from panecast_client import PanecastClient, PanecastError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="Print agent status changes from a panecast server.")
    parser.add_argument("--url", default=os.environ.get("PANECAST_URL", "http://127.0.0.1:3000"))
    parser.add_argument("--token", default=os.environ.get("PANECAST_TOKEN"))
    parser.add_argument("--session", action="append", help="only this session (repeatable)")
    parser.add_argument("--count", type=int, default=0, help="exit after this many changes (0: run until Ctrl+C)")
    args = parser.parse_args()

    client = PanecastClient(args.url, token=args.token)
    done = threading.Event()
    seen = 0

    def on_event(e: dict) -> None:
        nonlocal seen
        d = e["data"]
        who = d.get("agentId") or e["pane"]
        print(f"{e['timestamp']} {e['session']}:{e['window']} {who} ({e['pane']}): {d.get('previous') or '-'} -> {d['state']}", flush=True)
        seen += 1
        if args.count and seen >= args.count:
            done.set()

    client.on("event", on_event)
    try:
        client.connect()
    except PanecastError as err:
        print(f"watch_status: {err}", file=sys.stderr)
        return 1
    client.subscribe_events(types=["agent.status"], sessions=args.session)
    print("watching", flush=True)
    try:
        done.wait() if args.count else client.wait()
    except KeyboardInterrupt:
        pass
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
