#!/usr/bin/env python3
"""Reference outcomes from pabutools for every Pabulib file, committed as fixtures.

    pip install pabutools==1.2.3
    python3 scripts/pb-reference.py [--data ../shared/data/pabulib] [--out FILE] [FILE.pb ...]

For each file it records the projects pabutools selects (sorted as strings) with
Cost_Sat satisfaction and its default lexicographic tie-breaking:

  greedy              greedy_utilitarian_welfare(sat_class=Cost_Sat)
  mes                 method_of_equal_shares(sat_class=Cost_Sat)
  mes-add1            ... voter_budget_increment=1
  mes-add1-greedy     completion_by_rule_combination([mes add1, greedy])
  mes-add1-overspend  exhaustion_by_budget_increase(mes, budget_step=#voters,
                      exhaustive_stop=False)   (the variant Wieliczka used)

Identical ballots are grouped first (profile.as_multiprofile()), which pabutools
supports and which gives the same outcomes faster. A rule slower than --timeout
seconds is skipped and noted. crates/pb/tests/reference.rs checks sotong against it.
"""
import argparse, json, os, signal, sys, time

import pabutools
from pabutools.election import parse_pabulib, Cost_Sat
from pabutools.rules import (method_of_equal_shares, greedy_utilitarian_welfare,
                             completion_by_rule_combination, exhaustion_by_budget_increase)

RULES = {
    "greedy": lambda i, p, n: greedy_utilitarian_welfare(i, p, sat_class=Cost_Sat),
    "mes": lambda i, p, n: method_of_equal_shares(i, p, sat_class=Cost_Sat),
    "mes-add1": lambda i, p, n: method_of_equal_shares(i, p, sat_class=Cost_Sat, voter_budget_increment=1),
    "mes-add1-greedy": lambda i, p, n: completion_by_rule_combination(
        i, p, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}]),
    "mes-add1-overspend": lambda i, p, n: exhaustion_by_budget_increase(
        i, p, method_of_equal_shares, {"sat_class": Cost_Sat}, budget_step=n, exhaustive_stop=False),
}


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "pabulib"))
    parser.add_argument("--out", default=os.path.join(here, "..", "crates", "pb", "tests", "fixtures", "pabutools-1.2.3.json"))
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if getattr(pabutools, "__version__", "1.2.3") != "1.2.3":
        print(f"warning: pabutools {pabutools.__version__}, fixtures are for 1.2.3", file=sys.stderr)
    results = {}
    if os.path.exists(args.out):
        with open(args.out) as f:
            results = json.load(f)
    files = args.files or sorted(f for f in os.listdir(args.data) if f.endswith(".pb"))
    signal.signal(signal.SIGALRM, on_alarm)
    for name in files:
        instance, profile = parse_pabulib(os.path.join(args.data, name))
        voters = profile.num_ballots()
        grouped = profile.as_multiprofile()
        entry = results.setdefault(name, {})
        entry["vote_type"] = instance.meta["vote_type"]
        entry["voters"] = voters
        for rule in args.rules.split(","):
            started = time.time()
            signal.alarm(args.timeout)
            try:
                outcome = RULES[rule](instance, grouped, voters)
            except Timeout:
                print(f"{name} {rule}: skipped after {args.timeout} s", file=sys.stderr, flush=True)
                continue
            finally:
                signal.alarm(0)
            entry[rule] = sorted(str(p.name) for p in outcome)
            print(f"{name} {rule}: {len(entry[rule])} projects in {time.time() - started:.1f} s", file=sys.stderr, flush=True)
            with open(args.out, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
                f.write("\n")


if __name__ == "__main__":
    main()
