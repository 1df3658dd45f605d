"""Directory to add to Heat's [DEFAULT] plugin_dirs.

It holds only a shim module that re-exports geo-heat's resource mapping, so
Heat imports the real package once under its own name.
"""

import os


def path():
    return os.path.dirname(os.path.abspath(__file__))


def main():
    print(path())
