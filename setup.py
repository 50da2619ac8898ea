"""Install hma_nb; metadata and requirements are read from settings.ini (nbdev 2 layout)."""
from configparser import ConfigParser
from pathlib import Path

from setuptools import find_packages, setup

cfg = ConfigParser(delimiters=["="])
cfg.read(Path(__file__).parent / "settings.ini", encoding="utf-8")
c = cfg["DEFAULT"]

setup(
    name=c["lib_name"],
    version=c["version"],
    description=c["description"],
    long_description=(Path(__file__).parent / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author=c["author"],
    license="Apache-2.0",
    python_requires=f">={c['min_python']}",
    packages=find_packages(include=["hma_nb", "hma_nb.*"]),
    include_package_data=True,
    install_requires=c["requirements"].split(),
    extras_require={
        "dev": c["dev_requirements"].split(),
        # the simulators behind hma_nb.envs; installed together in one pip command (see scripts/setup.sh)
        "sims": ["gym-pusht", "gymnasium[mujoco]", "metaworld", "pybullet", "pygame"],
    },
    entry_points={"console_scripts": [c["console_scripts"]]},
    zip_safe=False,
)
