"""Patches that run right after a module is first imported.

pyrace adapts parts of the standard library (spawn, asyncio on WASI, the
timeline, GIL mode's blocking calls) without importing them ahead: a
finder first in `sys.meta_path` lets the other finders find the module,
then wraps its loader so that the patch runs once the module has run.
"""

import sys


class PatchAfterImport:
    """Runs `patches[name](module)` right after `name` is first imported."""

    def __init__(self, patches):
        self.patches = patches
        # Names being looked up: a finder asked in turn may ask this one.
        self.finding = set()

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None or name in self.finding:
            return None
        self.finding.add(name)
        try:
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    if spec.loader is not None:
                        spec.loader = _PatchingLoader(spec.loader, patch)
                    return spec
        finally:
            self.finding.discard(name)
        return None


class _PatchingLoader:
    def __init__(self, loader, patch):
        self.loader = loader
        self.patch = patch

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.patch(module)
