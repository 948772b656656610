"""Counts test cases from Bazel's test XML and prints "N passed, M failed".

Usage: count_test_cases.py [--extra PASSED FAILED] TESTLOGS_DIR //pkg:target ...

--extra adds cases counted elsewhere (the libFuzzer runs of tools/test.sh).

A GoogleTest target contributes one case per TEST; a script test's XML (made
by Bazel) contributes its one case. A target with no XML (it did not build, or
did not run) counts as one failed case. The logs of failing targets are
printed. Exit status: 1 if anything failed, else 0.
"""
import os
import sys
import xml.etree.ElementTree as ET


def main(argv):
    args = argv[1:]
    passed = failed = 0
    if args[:1] == ["--extra"]:
        passed, failed = int(args[1]), int(args[2])
        args = args[3:]
    logs, targets = args[0], args[1:]
    failing = []
    for target in targets:
        rel = target.lstrip("/").replace(":", "/")
        xml_path = os.path.join(logs, rel, "test.xml")
        if not os.path.exists(xml_path):
            failed += 1
            failing.append((target, None))
            continue
        try:
            root = ET.parse(xml_path).getroot()
        except ET.ParseError:
            failed += 1
            failing.append((target, os.path.join(logs, rel, "test.log")))
            continue
        target_failed = False
        for case in root.iter("testcase"):
            if case.get("status") == "notrun" or case.get("result") == "skipped":
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                target_failed = True
            else:
                passed += 1
        if target_failed:
            failing.append((target, os.path.join(logs, rel, "test.log")))
    for target, log in failing:
        print("=" * 72)
        print("FAILED: %s" % target)
        if log and os.path.exists(log):
            with open(log, errors="replace") as f:
                lines = f.readlines()
            sys.stdout.write("".join(lines[-200:]))
        else:
            print("(no test result: it did not build or did not run)")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
