"""Starting services with extra config files (the Deployment fixture gives each only
its host's strato.conf, plus strato-db.conf for control services)."""
import os

from tests.functional import fixtures


def start(deployment: fixtures.Deployment, binary: str, host: str,
          extra_config: dict[str, str] | None = None,
          with_database: bool = False) -> fixtures.ServiceProcess:
    """Start ``binary`` as ``host``; ``extra_config`` maps file names (in the state
    dir) to contents, read after the host's strato.conf."""
    files = [deployment.host_config(host)]
    for name, content in (extra_config or {}).items():
        path = os.path.join(deployment.state_path, name)
        with open(path, "w") as f:
            f.write(content)
        files.append(path)
    if with_database:
        files.append(deployment.db_config_file)
    argv = [fixtures.console_script(binary)]
    for path in files:
        argv += ["--config-file", path]
    name = f"{binary}.{host}"
    process = fixtures.ServiceProcess(name, argv,
                                      os.path.join(deployment.log_dir, f"{name}.log"),
                                      deployment.state_path)
    deployment.processes.append(process)
    return process
