"""Prints where Python modules installed under PREFIX go, relative to PREFIX.

The interpreter's own search path wins, its entry closest to PREFIX (on Debian:
lib/python3.X/dist-packages for /usr/local, lib/python3/dist-packages for /usr); for a prefix it
does not search, the standard lib/python3.X/site-packages.
"""
import os
import sys
import sysconfig

prefix = os.path.abspath(sys.argv[1])
searched = [path for path in sys.path
            if path.startswith(prefix + os.sep) and path.endswith(("site-packages", "dist-packages"))]
if searched:
    print(min((os.path.relpath(path, prefix) for path in searched), key=lambda rel: rel.count(os.sep)))
else:
    standard = sysconfig.get_path("platlib", "posix_prefix", vars={"platbase": prefix, "base": prefix})
    print(os.path.relpath(standard, prefix))
