"""Option registration and parsing of common.config."""
import os

from oslo_config import cfg

from common import config
from common.config import CONF, opts
from tests.unit import base


class ConfigTest(base.TestCase):
    def test_every_group_is_registered(self) -> None:
        for group, options in opts.list_opts():
            section = CONF if group == "DEFAULT" else CONF[group]
            for opt in options:
                self.assertIn(opt.dest, section, f"[{group}] {opt.dest} not registered")

    def test_every_option_has_help(self) -> None:
        for group, options in opts.list_opts():
            for opt in options:
                self.assertTrue(opt.help, f"[{group}] {opt.dest} has no help text")

    def test_register_all_twice_is_harmless(self) -> None:
        config.register_all()
        config.register_all()
        self.assertEqual(8774, CONF.api.bind_port)

    def test_values_come_from_the_config_file(self) -> None:
        self.assertEqual(self.state_path, CONF.state_path)
        self.assertEqual("unit-host", CONF.host)

    def test_state_path_is_interpolated(self) -> None:
        self.assertEqual(f"sqlite:///{self.state_path}/strato.sqlite",
                         CONF.database.connection)
        self.assertEqual(os.path.join(self.state_path, "instances"),
                         CONF.compute.instances_path)

    def test_later_files_override_earlier_ones(self) -> None:
        db_conf = os.path.join(self.state_path, "strato-db.conf")
        with open(db_conf, "w") as f:
            f.write("[database]\nconnection = sqlite:////elsewhere/strato.sqlite\n"
                    "[DEFAULT]\nreport_interval = 2.5\n")
        self.parse_config(self.config_file, db_conf)
        self.assertEqual("sqlite:////elsewhere/strato.sqlite", CONF.database.connection)
        self.assertEqual(2.5, CONF.report_interval)
        self.assertEqual("unit-host", CONF.host)

    def test_out_of_range_value_is_rejected(self) -> None:
        bad = os.path.join(self.state_path, "bad.conf")
        with open(bad, "w") as f:
            f.write("[api]\nworkers = 0\n")
        self.parse_config(bad)
        self.assertRaises(cfg.ConfigFileValueError, lambda: CONF.api.workers)

    def test_host_sample_default_hides_the_machine_name(self) -> None:
        host_opt = next(o for o in dict(opts.list_opts())["DEFAULT"] if o.dest == "host")
        self.assertEqual("<hostname>", host_opt.sample_default)
