"""`python -m icconsole`."""

from icconsole.cli import main

main()
