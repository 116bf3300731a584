"""The suites too slow for the CI run (``tox -e py``, which must stay under 30 minutes
on a fresh machine) are marked ``slow``: ``tox -e slow`` runs them (README, "Test")."""
import pytest

SLOW = (
    "tests/functional/multihost/",  # two hypervisor hosts moving real guests
    "tests/functional/faults/",  # broker, database and service outages
    "tests/functional/automation/",  # an Ansible playbook run twice
    "tests/functional/compute/test_scale.py",  # 200 servers on 20 fake hosts
    "tests/functional/compute/test_ha_storm.py",  # a host killed among 100 servers
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: run by tox -e slow, not by tox -e py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
