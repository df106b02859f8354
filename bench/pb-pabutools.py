#!/usr/bin/env python3
"""Times pabutools on one Pabulib file, for bench/pb.sh (one JSON line on stdout).

    python3 bench/pb-pabutools.py FILE.pb [--timeout SECONDS] [--rules greedy,mes,...]

Each rule runs once, as pabutools' documentation calls it (on the profile as parsed),
and — for the rules where it helps — also on the profile with identical ballots
grouped (profile.as_multiprofile(), timed together with the rule), which is
pabutools' fastest path. Rules slower than --timeout are reported as null.
"""
import argparse, json, os, resource, signal, time

from pabutools.election import parse_pabulib, Cost_Sat
from pabutools.rules import (method_of_equal_shares, greedy_utilitarian_welfare,
                             completion_by_rule_combination)

RULES = {
    "greedy": lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=Cost_Sat),
    "mes": lambda i, p: method_of_equal_shares(i, p, sat_class=Cost_Sat),
    "mes-add1": lambda i, p: method_of_equal_shares(i, p, sat_class=Cost_Sat, voter_budget_increment=1),
    "mes-add1-greedy": lambda i, p: completion_by_rule_combination(
        i, p, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}]),
}
# The as-parsed profile is only timed where it finishes in reasonable time.
PLAIN = {"greedy", "mes"}


class Timeout(Exception):
    pass


def timed(call, timeout):
    def alarm(signum, frame):
        raise Timeout()
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(timeout)
    started = time.perf_counter()
    try:
        result = call()
        return time.perf_counter() - started, result
    except Timeout:
        return None, None
    finally:
        signal.alarm(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--rules", default=",".join(RULES))
    args = parser.parse_args()
    parse_seconds, (instance, profile) = timed(lambda: parse_pabulib(args.file), 3600)
    rules = {}
    for name in args.rules.split(","):
        entry = {}
        if name in PLAIN:
            seconds, outcome = timed(lambda: RULES[name](instance, profile), args.timeout)
            entry["seconds"] = seconds
            entry["selected"] = None if outcome is None else len(outcome)
        seconds, outcome = timed(lambda: RULES[name](instance, profile.as_multiprofile()), args.timeout)
        entry["grouped_seconds"] = seconds
        if outcome is not None:
            entry["selected"] = len(outcome)
        rules[name] = entry
    print(json.dumps({
        "file": os.path.basename(args.file),
        "parse_seconds": parse_seconds,
        "rules": rules,
        "peak_memory_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "timeout": args.timeout,
    }), flush=True)


if __name__ == "__main__":
    main()
