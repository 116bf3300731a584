"""The committed etc/strato.conf.sample matches what oslo-config-generator makes now."""
import difflib
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
GENERATOR_CONF = os.path.join(ROOT, "etc", "oslo-config-generator", "strato.conf")
SAMPLE = os.path.join(ROOT, "etc", "strato.conf.sample")


class ConfigSampleTest(unittest.TestCase):
    def test_sample_is_up_to_date(self) -> None:
        with tempfile.TemporaryDirectory(prefix="strato-genconfig-") as tmp:
            fresh = os.path.join(tmp, "strato.conf.sample")
            # A child process, so the generator never touches this process's global CONF.
            subprocess.run(
                [sys.executable, "-c", "from oslo_config.generator import main; main()",
                 "--config-file", GENERATOR_CONF, "--output-file", fresh],
                check=True, cwd=tmp, capture_output=True)
            with open(fresh) as f:
                expected = f.read()
        with open(SAMPLE) as f:
            committed = f.read()
        if expected != committed:
            diff = difflib.unified_diff(committed.splitlines(), expected.splitlines(),
                                        "etc/strato.conf.sample", "generated", lineterm="")
            self.fail("etc/strato.conf.sample is stale: run tox -e genconfig and commit "
                      "the result. Difference (first 40 lines):\n"
                      + "\n".join(list(diff)[:40]))
