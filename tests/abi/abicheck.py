#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The ABI check: our hypercalls/ headers against Debian's Xen headers.

Owns the check that every name hypercalls/ defines is Xen's and means the
same: constants (value, width, signedness), strings, types (size, alignment,
signedness), structs/unions (size, alignment) and their fields (offset,
size, signedness). The list of names is never written by hand: it is read
from our headers (gcc -dD for macros, clang's JSON AST for everything else).
Xen's values come from a program built against /usr/include/xen only; they
are then asserted with _Static_assert in a second translation unit built
against our headers only. Mutation cases prove the check can fail.

Usage: abicheck.py [--ours DIR] [--xen DIR] [--work DIR] [-v]
Prints one PASS/FAIL line per group and ends with "N passed, N failed".
"""
import argparse
import concurrent.futures
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

# Where Xen keeps a header whose path differs from ours. Headers not found
# in Xen at all are listed in NO_COUNTERPART; their names must still exist
# somewhere in Xen's headers (or be listed extensions).
XEN_PATH_OF = {'hvm/start_info.h': 'arch-x86/hvm/start_info.h'}
NO_COUNTERPART = {'hypercall-table.h'}
# Xen's version.h takes XENFEAT_* from features.h, which we fold into
# version.h; include it on Xen's side too.
XEN_EXTRA = ['features.h']

CFLAGS = ['-std=gnu11', '-D__XEN_TOOLS__']
GUARD = re.compile(r'^XENLIKE_PUB_\w+_H$')
INT_TYPE = re.compile(r'^(const |volatile )*((unsigned|signed) )?'
                      r'(char|short|short int|int|long|long int|long long|'
                      r'long long int|_Bool|unsigned|signed)$|^(const )?enum ')


def run(cmd, cwd=None, check=True):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise RuntimeError('command failed: %s\n%s' % (' '.join(cmd), p.stderr[-4000:]))
    return p


def our_headers(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith('.h'):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def xen_counterpart(rel, xen):
    if rel in NO_COUNTERPART:
        return None
    path = XEN_PATH_OF.get(rel, rel)
    return path if os.path.exists(os.path.join(xen, 'xen', path)) else None


def umbrella_ours(headers):
    return ''.join('#include "%s"\n' % h for h in sorted(headers, key=lambda h: h != 'xen.h'))


def umbrella_xen(headers, xen):
    paths = [p for p in (xen_counterpart(h, xen) for h in headers) if p]
    paths += [p for p in XEN_EXTRA if p not in paths]
    # xen.h first: Xen's arch headers rely on it having been read.
    paths.sort(key=lambda p: p != 'xen.h')
    # errno.h first as on our side, where it comes with the C library's:
    # io/xs_wire.h offers its error table only when EINVAL is defined.
    s = '#include <errno.h>\n#include <stdint.h>\n#include <stddef.h>\n'
    s += ''.join('#include <xen/%s>\n' % p for p in paths)
    # errno.h lists EINTR and ERESTART only for the hypervisor's own build;
    # read them through its X-macro interface under a prefix.
    s += ('#define __XEN__\n#define XEN_ERRNO(n, v) XEN_HVONLY_##n = v,\n'
          'enum xen_hvonly_errno {\n#include <xen/errno.h>\n};\n'
          '#undef __XEN__\n')
    return s


# ---------------------------------------------------------------------------
# Extraction: one "side" is everything a set of headers under `root` defines.

class Side:
    def __init__(self):
        self.macros = {}     # name -> dict(file, func, body)
        self.consts = {}     # enumerator name -> file
        self.enums = {}      # 'enum tag' -> file
        self.records = {}    # key -> dict(file, fields=[(path, qualtype, bitfield)])
        self.typedefs = {}   # name -> dict(file, qt)
        self.objects = {}    # variable or function declared in a header -> file


def extract_macros(side, src, incflags, root, cwd, cflags=None):
    out = run(['gcc', '-E', '-dD'] + (CFLAGS if cflags is None else cflags)
              + incflags + [src], cwd=cwd).stdout
    cur = None
    side.pp = out
    for line in out.splitlines():
        if line.startswith('# '):
            m = re.match(r'# \d+ "([^"]+)"', line)
            if m:
                cur = m.group(1)
            continue
        m = re.match(r'#define (\w+)(\([^)]*\))? ?(.*)$', line)
        if m:
            f = rel_in(cur, root, cwd)
            if f is not None:
                side.macros[m.group(1)] = dict(file=f, func=bool(m.group(2)),
                                               params=m.group(2),
                                               body=m.group(3).strip())
            continue
        m = re.match(r'#undef (\w+)', line)
        if m:
            side.macros.pop(m.group(1), None)


@functools.lru_cache(maxsize=None)
def rel_in(path, root, cwd):
    if not path or path.startswith('<'):
        return None
    full = os.path.realpath(os.path.join(cwd, path))
    root = os.path.realpath(root)
    if not full.startswith(root + os.sep):
        return None
    return os.path.relpath(full, root)


class FileTracker:
    """clang's JSON dump names a file only when it changes: follow it."""

    def __init__(self):
        self.cur = None

    def loc(self, loc):
        if not isinstance(loc, dict):
            return self.cur
        for k in ('spellingLoc', 'expansionLoc'):
            if k in loc:
                self.loc(loc[k])
        if 'file' in loc:
            self.cur = loc['file']
        return self.cur

    def node(self, n):
        f = self.loc(n.get('loc'))
        r = n.get('range')
        if isinstance(r, dict):
            self.loc(r.get('begin'))
            self.loc(r.get('end'))
        return f


def field_list(rec, prefix, ft):
    """Fields of a record, anonymous members flattened, fields of inline
    unnamed types descended into, named record types left to their own
    entry. Also walks nested named records so the tracker stays in step."""
    fields, nested = [], []
    anon = None
    for c in rec.get('inner', []):
        ft.node(c)
        k = c.get('kind')
        if k == 'RecordDecl':
            if c.get('name'):
                nested.append(c)
                walk_record_children(c, ft, nested)
                anon = None
            else:
                sub, sub_nested = field_list(c, '', ft)
                nested.extend(sub_nested)
                anon = sub
            continue
        if k != 'FieldDecl':
            walk_all(c, ft)
            continue
        walk_all(c, ft)
        t = c.get('type', {})
        qt = t.get('desugaredQualType', t.get('qualType', ''))
        unnamed = '(anonymous' in qt or '(unnamed' in qt
        if not c.get('name'):                      # C11 anonymous member
            fields.extend((prefix + p, q, b) for p, q, b in (anon or []))
        else:
            name = prefix + c['name']
            fields.append((name, qt, bool(c.get('isBitfield'))))
            if unnamed and anon is not None:
                sub = name + ('[0]' if qt.rstrip().endswith(']') else '')
                fields.extend((sub + '.' + p, q, b) for p, q, b in anon)
        anon = None
    return fields, nested


def walk_record_children(rec, ft, nested):
    # field_list on a named nested record, only for its nested names
    _, sub_nested = field_list(rec, '', ft)
    nested.extend(sub_nested)


def extract_ast(side, src, incflags, root, cwd):
    out = run(['clang', '-fsyntax-only', '-Xclang', '-ast-dump=json'] + CFLAGS
              + incflags + [src], cwd=cwd).stdout
    ast = json.loads(out)
    ft = FileTracker()
    records_by_id = {}
    for n in ast.get('inner', []):
        f = ft.node(n)
        here = rel_in(f, root, cwd)
        k = n.get('kind')
        if k == 'RecordDecl':
            fields, nested = field_list(n, '', ft)
            records_by_id[n.get('id')] = fields
            if here is None or not n.get('completeDefinition'):
                continue
            for rec in [n] + nested:
                if not rec.get('name') or not rec.get('completeDefinition'):
                    continue
                key = '%s %s' % (rec.get('tagUsed', 'struct'), rec['name'])
                flds = fields if rec is n else field_list(rec, '', FileTracker())[0]
                side.records[key] = dict(file=here, fields=flds)
        elif k == 'TypedefDecl':
            walk_all(n, ft)
            if here is None or n.get('isImplicit'):
                continue
            t = n.get('type', {})
            qt = t.get('desugaredQualType', t.get('qualType', ''))
            owned = find_owned_record(n)
            if owned is not None and owned in records_by_id and \
                    ('(anonymous' in qt or '(unnamed' in qt or qt == n['name']
                     or t.get('qualType', '').endswith(' ' + n['name'])):
                side.records[n['name']] = dict(file=here, fields=records_by_id[owned])
            else:
                side.typedefs[n['name']] = dict(file=here, qt=qt)
        elif k == 'EnumDecl':
            if here is not None and n.get('name'):
                side.enums['enum ' + n['name']] = here
            for c in n.get('inner', []):
                h = rel_in(ft.node(c), root, cwd)
                walk_all(c, ft)
                if c.get('kind') == 'EnumConstantDecl' and h is not None:
                    side.consts[c['name']] = h
        else:
            walk_all(n, ft)
            if k in ('VarDecl', 'FunctionDecl') and here is not None and n.get('name'):
                side.objects[n['name']] = here


def walk_all(n, ft):
    for c in n.get('inner', []):
        ft.node(c)
        walk_all(c, ft)


def find_owned_record(n):
    stack = list(n.get('inner', []))
    while stack:
        c = stack.pop(0)
        o = c.get('ownedTagDecl')
        if isinstance(o, dict) and o.get('kind') == 'RecordDecl':
            return o.get('id')
        d = c.get('decl')
        if c.get('kind') == 'RecordType' and isinstance(d, dict):
            return d.get('id')
        stack.extend(c.get('inner', []))
    return None


def extract(root, umbrella, incflags, work, tag):
    work = os.path.abspath(work)
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, 'umbrella-%s.c' % tag)
    with open(src, 'w') as fp:
        fp.write(umbrella + 'typedef int abicheck_nonempty_tu;\n')
    side = Side()
    extract_macros(side, src, incflags, root, work)
    # The AST depends only on the preprocessed C, not on macro definitions:
    # mutation runs that change only macros reuse it.
    text = side.pp.replace(os.path.realpath(root), '@ROOT@').replace(root, '@ROOT@')
    text = '\n'.join(l for l in text.replace(work, '@WORK@').splitlines()
                      if not l.startswith(('#define ', '#undef ')))
    key = hashlib.md5(text.encode()).hexdigest()
    with AST_LOCK:
        hit = AST_CACHE.get(key)
    if hit is None:
        extract_ast(side, src, incflags, root, work)
        hit = (side.records, side.typedefs, side.enums, side.consts, side.objects)
        with AST_LOCK:
            AST_CACHE[key] = hit
    side.records, side.typedefs, side.enums, side.consts, side.objects = hit
    return side, src


AST_CACHE = {}
AST_LOCK = threading.Lock()


# ---------------------------------------------------------------------------
# Classifying our object-like macros: integer constant, string, or other.

def failing_lines(stderr, fname):
    bad = set()
    for m in re.finditer(r'^%s:(\d+):\d+: error' % re.escape(fname), stderr, re.M):
        bad.add(int(m.group(1)))
    return bad


def probe(src_umbrella, names, fmt, incflags, work, tag):
    """Returns the subset of names for which `fmt % name` compiles. gcc
    names an undeclared identifier only once per scope, so lines are
    dropped and the rest recompiled until it builds."""
    path = os.path.join(work, 'probe-%s.c' % tag)
    with open(src_umbrella) as fp:
        head = fp.read()
    base = head.count('\n') + 1
    left = list(names)
    while left:
        with open(path, 'w') as fp:
            fp.write(head + '\n'.join(fmt % (i, n) for i, n in enumerate(left)) + '\n')
        p = run(['gcc', '-fsyntax-only', '-fmax-errors=0', '-w', '-ftrack-macro-expansion=0']
                + CFLAGS + incflags + [os.path.basename(path)], cwd=work, check=False)
        if p.returncode == 0:
            break
        bad = failing_lines(p.stderr, os.path.basename(path))
        keep = [n for i, n in enumerate(left) if base + i not in bad]
        if len(keep) == len(left):
            raise RuntimeError('probe %s fails outside its lines:\n%s' % (tag, p.stderr[-2000:]))
        left = keep
    return set(left)


def expansions(src_umbrella, names, incflags, work, tag):
    path = os.path.join(work, 'expand-%s.c' % tag)
    with open(src_umbrella) as fp:
        head = fp.read()
    with open(path, 'w') as fp:
        fp.write(head + ''.join('@@%d@@ %s\n' % (i, n) for i, n in enumerate(names)))
    out = run(['gcc', '-E', '-P'] + CFLAGS + incflags + [os.path.basename(path)],
              cwd=work).stdout
    res = {}
    for m in re.finditer(r'^@@(\d+)@@(.*)$', out, re.M):
        res[names[int(m.group(1))]] = ' '.join(m.group(2).split())
    return res


# ---------------------------------------------------------------------------
# The plan: what to check for every name we define.

class Item:
    """One checked name, the assertions it needs and the header it is in."""

    def __init__(self, header, name, what):
        self.header, self.name, self.what = header, name, what
        self.xen_name = name     # the name to read on Xen's side


def c_id(s):
    return re.sub(r'[^A-Za-z0-9_]', '_', s)


def c_string(s):
    return '"' + ''.join(c if c.isprintable() and c not in '"\\' else '\\%03o' % ord(c)
                         for c in s) + '"'


def cached_probe(cache, exp, src, names, fmt, incflags, work, tag):
    """probe(), remembering results by the names' full expansion, which is
    all a probe's outcome depends on (mutation runs reuse them)."""
    todo = [n for n in names if (fmt, exp.get(n)) not in cache]
    ok = probe(src, todo, fmt, incflags, work, tag) if todo else set()
    for n in todo:
        cache[(fmt, exp.get(n))] = n in ok
    return {n for n in names if cache[(fmt, exp.get(n))]}


def build_plan(ours, xen, work, our_src, xen_src, incflags_ours, incflags_xen, cache):
    """Lists items, name failures and text comparisons."""
    items, failures, counts = [], [], {}

    def count(h, kind, n=1):
        counts.setdefault(h, {}).setdefault(kind, 0)
        counts[h][kind] += n

    xen_names = set(xen.macros) | set(xen.consts) | set(xen.records) | \
        set(xen.typedefs) | set(xen.enums)

    def in_xen(name):
        if name in xen_names:
            return name
        if name.startswith('XEN_E') and 'XEN_HVONLY_' + name[4:] in xen.consts:
            return 'XEN_HVONLY_' + name[4:]
        return None

    # Macros.
    obj = sorted(n for n, m in ours.macros.items()
                 if not m['func'] and not GUARD.match(n))
    func = sorted(n for n, m in ours.macros.items() if m['func'])
    nonempty = [n for n in obj if ours.macros[n]['body']]
    calls = sample_calls(ours, func)
    exp = expansions(our_src, obj + [c for c, _ in calls], incflags_ours, work, 'ours')
    ints = cached_probe(cache, exp, our_src, nonempty, 'enum { abicheck_p%d = (%s) * 0 };',
                        incflags_ours, work, 'int')
    rest = [n for n in nonempty if n not in ints]
    strs = cached_probe(cache, exp, our_src, rest, 'static const char abicheck_s%d[] = %s;',
                        incflags_ours, work, 'str')
    texts = [n for n in obj if n not in ints and n not in strs]
    for n in obj:
        h = ours.macros[n]['file']
        it = Item(h, n, 'int' if n in ints else 'str' if n in strs else 'text')
        items.append(it)
    valued = cached_probe(cache, exp, our_src, [c for c, _ in calls],
                          'enum { abicheck_f%d = (%s) * 0 };', incflags_ours, work, 'call')
    for n in func:
        items.append(Item(ours.macros[n]['file'], n, 'func'))
    for c, n in calls:
        if c in valued:
            items.append(Item(ours.macros[n]['file'], c, 'call'))
    for n, h in ours.consts.items():
        items.append(Item(h, n, 'int'))
    for n, h in ours.enums.items():
        items.append(Item(h, n, 'type'))
    for n, t in ours.typedefs.items():
        items.append(Item(t['file'], n, 'itype' if INT_TYPE.match(t['qt']) else 'type'))
    for key, r in ours.records.items():
        items.append(Item(r['file'], key, 'record'))

    # Names Xen lacks.
    checked = []
    for it in items:
        if it.what == 'call':
            if it.name.split('(', 1)[0] in xen_names:
                checked.append(it)
            continue        # the macro itself is reported as not in Xen
        x = in_xen(it.name)
        if x is None:
            failures.append((it.header, '%s: not defined by Xen' % it.name))
            continue
        it.xen_name = x
        checked.append(it)
    field_items = []
    for it in checked:
        if it.what != 'record':
            continue
        xrec = xen.records.get(it.xen_name)
        if xrec is None and it.xen_name in xen.typedefs:   # Xen names it via a typedef
            xrec = xen.records.get(xen.typedefs[it.xen_name]['qt'])
        if xrec is None:
            failures.append((it.header, '%s: Xen\'s %s is not a struct or union'
                             % (it.name, it.xen_name)))
            continue
        xfields = {p: (q, b) for p, q, b in xrec['fields']}
        for path, qt, bit in ours.records[it.name]['fields']:
            if path not in xfields:
                failures.append((it.header, '%s.%s: field not in Xen\'s %s'
                                 % (it.name, path, it.xen_name)))
                continue
            f = Item(it.header, it.name, 'field')
            f.xen_name, f.path, f.qt, f.bit = it.xen_name, path, qt, bit
            field_items.append(f)

    # Text macros: compare full expansions (not expressible as C values).
    tx = [it for it in checked if it.what == 'text']
    names = tuple(it.xen_name for it in tx)
    if ('xen-exp', names) not in cache:
        cache[('xen-exp', names)] = expansions(xen_src, list(names), incflags_xen, work, 'xen')
    xen_exp = cache[('xen-exp', names)]
    for it in tx:
        if exp.get(it.name) != xen_exp.get(it.xen_name):
            failures.append((it.header, '%s: expands to "%s", Xen\'s to "%s"'
                             % (it.name, exp.get(it.name), xen_exp.get(it.xen_name))))

    valued_macros = {it.name.split('(', 1)[0] for it in checked if it.what == 'call'}
    for it in checked + field_items:
        if it.what == 'func' and it.name in valued_macros:
            continue            # counted under its sample values
        kind = {'int': 'constants', 'str': 'constants', 'text': 'constants',
                'call': 'values of macros at sample arguments',
                'func': 'macros with arguments (not evaluated by value)', 'type': 'types',
                'itype': 'types', 'record': 'structs/unions', 'field': 'fields'}[it.what]
        count(it.header, kind)
    return checked + field_items, failures, counts


def sample_calls(side, func):
    """Macros with arguments are compared by value where they compute a
    constant from numbers: each is applied to a few sample arguments."""
    calls = []
    for n in func:
        params = side.macros[n]['params'].strip('()')
        if '...' in params:
            continue
        k = len([p for p in params.split(',') if p.strip()])
        for v in ('5', '0x1234', '0xfffffff0'):
            calls.append(('%s(%s)' % (n, ', '.join([v] * k)), n))
            if k == 0:
                break
    return calls


# Each item becomes (C expression on Xen's side, C expression on ours,
# description). Xen's value is printed into ref.h by a program built
# against Xen only; ours is compared to it with _Static_assert.

def assertions(it):
    n, x = it.name, it.xen_name
    if it.what in ('int', 'call'):
        return [('v', '(unsigned long long)(%s)', 'value'),
                ('z', 'sizeof(%s)', 'type width'),
                ('n', '(((%s) * 0 - 1) < 0)', 'signedness')]
    if it.what in ('type', 'itype', 'record'):
        a = [('z', 'sizeof(%s)', 'size'), ('a', '__alignof__(%s)', 'alignment')]
        if it.what == 'itype':
            a.append(('n', '((%s)-1 < 0)', 'signedness'))
        return a
    if it.what == 'field':
        if it.bit:
            return []
        a = [('o', 'offsetof(%s, ' + it.path + ')', 'offset')]
        if not it.qt.rstrip().endswith('[]'):
            a.append(('z', 'sizeof(((%s *)0)->' + it.path + ')', 'size'))
        if INT_TYPE.match(it.qt):
            a.append(('n', '((__typeof__(((%s *)0)->' + it.path + '))-1 < 0)',
                      'signedness'))
        return a
    return []


def ref_key(it, tag):
    return _ref_key(it.name + ('.' + it.path if it.what == 'field' else ''), tag)


@functools.lru_cache(maxsize=None)
def _ref_key(base, tag):
    return 'REF_%s_%s_%s' % (tag, c_id(base), hashlib.md5(base.encode()).hexdigest()[:6])


def label(it):
    return it.name + ('.' + it.path if it.what == 'field' else '')


def make_ref(items, xen_src, incflags_xen, work):
    """Builds and runs the program that prints Xen's values as ref.h.
    Items whose expression does not compile against Xen are returned."""
    with open(xen_src) as fp:
        head = fp.read()
    todo = [(it, t, e, d) for it in items for t, e, d in assertions(it)]
    strs = [it for it in items if it.what == 'str']
    dropped = []
    while True:
        body = [head, '#include <stdio.h>\n',
                'static void s(const char *k, const char *v)\n{\n'
                '    printf("#define %s \\"", k);\n'
                '    for (; *v; v++)\n'
                '        printf(*v >= 32 && *v < 127 && *v != 34 && *v != 92 ? "%c" : "\\\\%03o", *v);\n'
                '    printf("\\"\\n");\n}\n',
                'int main(void)\n{\n']
        base = ''.join(body).count('\n') + 1
        lines = []
        for it, t, e, d in todo:
            lines.append('    printf("#define %s 0x%%llxULL\\n", (unsigned long long)(%s));'
                         % (ref_key(it, t), e % (it.xen_name if it.what != 'field'
                                                  else it.xen_name)))
        for it in strs:
            lines.append('    s("%s", %s);' % (ref_key(it, 's'), it.xen_name))
        src = ''.join(body) + '\n'.join(lines) + '\n    return 0;\n}\n'
        path = os.path.join(work, 'ref.c')
        with open(path, 'w') as fp:
            fp.write(src)
        exe = os.path.join(work, 'ref')
        p = run(['gcc', '-w', '-fmax-errors=0', '-ftrack-macro-expansion=0'] + CFLAGS + incflags_xen
                + ['-o', exe, 'ref.c'], cwd=work, check=False)
        if p.returncode == 0:
            out = run([exe]).stdout
            return out, dropped
        bad = failing_lines(p.stderr, 'ref.c')
        if not bad:
            raise RuntimeError('ref.c failed to build:\n' + p.stderr[-3000:])
        keep_todo, keep_strs = [], []
        for i, entry in enumerate(todo):
            (dropped if base + i in bad else keep_todo).append(entry)
        for j, it in enumerate(strs):
            if base + len(todo) + j in bad:
                dropped.append((it, 's', '', 'string'))
            else:
                keep_strs.append(it)
        if len(keep_todo) == len(todo) and len(keep_strs) == len(strs):
            raise RuntimeError('ref.c fails outside its lines:\n' + p.stderr[-3000:])
        todo, strs = keep_todo, keep_strs


def make_check(items, skip, our_src, work, tag):
    """The second TU: our headers plus ref.h, one _Static_assert a line.
    Returns the path and a map line -> (header, message)."""
    with open(our_src) as fp:
        head = fp.read()
    lines, where = [], {}
    pre = head + '#include <stddef.h>\n#include "ref-%s.h"\n' % tag
    base = pre.count('\n') + 1
    for it in items:
        for t, e, d in assertions(it):
            if (label(it), t) in skip:
                continue
            expr = e % it.name
            msg = '%s: %s differs from Xen' % (label(it), d)
            where[base + len(lines)] = (it.header, msg)
            lines.append('_Static_assert((unsigned long long)(%s) == %s, "%s");'
                         % (expr, ref_key(it, t), msg))
        if it.what == 'str' and (label(it), 's') not in skip:
            msg = '%s: string differs from Xen' % it.name
            where[base + len(lines)] = (it.header, msg)
            lines.append('_Static_assert(sizeof(%s) == sizeof(%s) && '
                         '__builtin_strcmp(%s, %s) == 0, "%s");'
                         % (it.name, ref_key(it, 's'), it.name, ref_key(it, 's'), msg))
    path = os.path.join(work, 'check-%s.c' % tag)
    with open(path, 'w') as fp:
        fp.write(pre + '\n'.join(lines) + '\n')
    with open(os.path.join(work, 'coverage.txt'), 'w') as fp:
        fp.write(''.join('%s\t%s\n' % hm for _, hm in sorted(where.items())))
        fp.write(''.join('%s\t%s: %s\n' % (it.header, it.name, it.what)
                         for it in items if it.what in ('text', 'func')))
    return path, where


# ---------------------------------------------------------------------------

def load_extensions(path):
    ext = {}
    if not os.path.exists(path):
        return ext
    with open(path) as fp:
        for line in fp:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name, _, reason = line.partition('  ')
            if not reason.strip():
                raise RuntimeError('%s: "%s" has no reason' % (path, name))
            ext[name] = reason.strip()
    return ext


class Xen:
    """Xen's side, computed once per run."""

    def __init__(self, xen_root, headers, work):
        self.root = os.path.join(xen_root, 'xen')
        self.inc = ['-I', xen_root]
        self.side, self.src = extract(self.root, umbrella_xen(headers, xen_root),
                                      self.inc, work, 'xen')
        self.refs = {}
        self.cache = {}


def check(ours_root, xen, xen_root, work, ext_path, tag='main'):
    """Runs the whole check on the headers in ours_root. Returns
    (per-header failures, per-header counts, stale extensions)."""
    work = os.path.join(os.path.abspath(work), tag)
    os.makedirs(work, exist_ok=True)
    headers = our_headers(ours_root)
    inc = ['-I', os.path.abspath(ours_root)]
    ours, our_src = extract(ours_root, umbrella_ours(headers), inc, work, 'ours')
    items, failures, counts = build_plan(ours, xen.side, work, our_src, xen.src, inc, xen.inc,
                                         xen.cache)
    ext = load_extensions(ext_path)
    kept = []
    for h, msg in failures:
        name = msg.split(':', 1)[0]
        rec = name.split('.', 1)[0]
        if msg.endswith('not defined by Xen') and name in ext:
            continue
        if 'field not in Xen' in msg and (name in ext or rec in ext):
            continue
        kept.append((h, msg))
    failures = kept
    for it in items:
        if it.name in ext:
            counts.setdefault(it.header, {}).setdefault('listed extensions', 0)
    for n, m in list(ours.macros.items()) + [(k, dict(file=v)) for k, v in ours.consts.items()] \
            + [(k, dict(file=v)) for k, v in ours.enums.items()]:
        if n in ext:
            c = counts.setdefault(m['file'], {})
            c['listed extensions'] = c.get('listed extensions', 0) + 1
    defined = {it.name for it in items} | {label(it) for it in items}
    defined |= set(ours.macros) | set(ours.consts) | set(ours.records) | \
        set(ours.typedefs) | set(ours.enums)
    stale = [n for n in ext if n not in defined and
             not any(n == r for r in ours.records)]
    with open(os.path.join(work, 'xen-umbrella.c'), 'w') as fp:
        fp.write(umbrella_xen(headers, xen_root))
    key = hashlib.md5(repr(sorted((it.xen_name, label(it), it.what, getattr(it, 'path', ''))
                                  for it in items)).encode()).hexdigest()
    if key not in xen.refs:
        xen.refs[key] = make_ref(items, xen.src, xen.inc, work)
    ref, dropped = xen.refs[key]
    with open(os.path.join(work, 'ref-%s.h' % tag), 'w') as fp:
        fp.write(ref)
    refvals = dict(re.findall(r'^#define (\S+) (0x[0-9a-f]+)ULL$', ref, re.M))
    hypercalls = {it.name: int(refvals[ref_key(it, 'v')], 16) for it in items
                  if it.name.startswith('__HYPERVISOR_') and ref_key(it, 'v') in refvals}
    skip = set()
    for it, t, _, d in dropped:
        skip.add((label(it), t))
        failures.append((it.header, '%s: Xen\'s %s is not comparable (%s)' % (label(it), it.xen_name, d)))
    path, where = make_check(items, skip, our_src, work, tag)
    p = run(['gcc', '-fsyntax-only', '-fmax-errors=0', '-w', '-ftrack-macro-expansion=0'] + CFLAGS + inc
            + ['-I', work, os.path.basename(path)], cwd=work, check=False)
    bad = failing_lines(p.stderr, os.path.basename(path))
    for line in sorted(bad):
        if line in where:
            failures.append(where[line])
        else:
            failures.append(('?', 'check TU error at line %d: %s' % (line, p.stderr[-500:])))
    if p.returncode != 0 and not bad:
        failures.append(('?', 'check TU failed to build: ' + p.stderr[-1500:]))
    failures += hidden_names(ours_root, headers, ours, inc, work)
    failures += unchecked_objects(ours)
    for header, prog, what in TRANSCRIPTS:
        if header in headers:
            diff = transcript(ours_root, xen, work, prog, what)
            if diff:
                failures.append((header, diff))
            counts.setdefault(header, {})[what] = 1
    per = {}
    for h, msg in failures:
        per.setdefault(h, []).append(msg)
    return per, counts, stale, headers, hypercalls


def hidden_names(ours_root, headers, ours, inc, work):
    """The check reads our headers with __XEN_TOOLS__ defined. A macro that
    exists only without it, or only for assembly, would escape: report it."""
    failures = []
    plain = [h for h in headers if not tools_only(ours_root, h)]
    configs = [('without __XEN_TOOLS__', umbrella_ours(plain), ['-std=gnu11'], 'c'),
               ('for assembly', umbrella_ours(headers),
                ['-D__XEN_TOOLS__', '-D__ASSEMBLY__', '-x', 'assembler-with-cpp'], 'S')]
    for what, umbrella, flags, ext in configs:
        src = os.path.join(work, 'hidden-%s.%s' % (c_id(what), ext))
        with open(src, 'w') as fp:
            fp.write(umbrella)
        side = Side()
        extract_macros(side, src, inc, ours_root, work, cflags=flags)
        for n, m in sorted(side.macros.items()):
            if n not in ours.macros and not GUARD.match(n):
                failures.append((m['file'], '%s: defined only %s, so not checked' % (n, what)))
    return failures


# ---------------------------------------------------------------------------
# The hypercall table itself: every hypercall number Xen defines is in it
# once, below XEN_HYPERCALL_MAX, with a known access class.

def table_check(ours_root, xen, work):
    src = os.path.join(work, 'table.c')
    with open(src, 'w') as fp:
        fp.write('#include "hypercall-table.h"\n'
                 '#define ROW(nr, name, access) @@ nr name access\n'
                 'XEN_HYPERCALL_TABLE(ROW)\n@@max XEN_HYPERCALL_MAX\n'
                 '@@classes HC_ANY HC_CTRL HC_PV\n')
    out = run(['gcc', '-E', '-P', '-I', os.path.abspath(ours_root), src]).stdout
    rows = re.findall(r'@@ (\d+) (\w+) (\w+)', out)
    limit = int(re.search(r'@@max (\d+)', out).group(1))
    classes = re.search(r'@@classes (\d+) (\d+) (\d+)', out).groups()
    bad = []
    seen_nr, seen_name = {}, set()
    for nr, name, access in rows:
        nr = int(nr)
        if nr in seen_nr:
            bad.append('number %d used by %s and %s' % (nr, seen_nr[nr], name))
        if name in seen_name:
            bad.append('%s listed twice' % name)
        if nr >= limit:
            bad.append('%s: %d is not below XEN_HYPERCALL_MAX (%d)' % (name, nr, limit))
        if access not in classes:
            bad.append('%s: access %s is not HC_ANY, HC_CTRL or HC_PV' % (name, access))
        seen_nr[nr] = name
        seen_name.add(name)
    theirs = {n[len('__HYPERVISOR_'):] for n, m in xen.side.macros.items()
              if n.startswith('__HYPERVISOR_') and not m['func'] and
              re.fullmatch(r'\d+', m['body'])}
    for name in sorted(theirs - seen_name):
        bad.append('Xen\'s hypercall %s is missing from the table' % name)
    return bad, len(rows)


# ---------------------------------------------------------------------------
# Behaviour and tables that are not constants: a program is built once with
# Xen's header and once with ours, and the two outputs must be identical.
# ring_scenario.c drives a blkif ring through one fixed sequence (the RING_*
# macros are code); xs_error_table.c prints xenstore's error table;
# macro_uses.c applies the other macros that take types or pointers.
TRANSCRIPTS = [('io/ring.h', 'ring_scenario.c', 'ring scenario (RING_* behaviour)'),
               ('io/xs_wire.h', 'xs_error_table.c', 'xsd_errors table'),
               ('arch-x86/xen.h', 'macro_uses.c',
                'uses of macros taking types or pointers (TI_*, guest handles, UUID, ...)')]


def unchecked_objects(ours):
    """A variable or function defined in a header is neither a constant nor
    a layout: it is checked only if a transcript program prints it."""
    text = ''
    for _, prog, _ in TRANSCRIPTS:
        with open(os.path.join(HERE, prog)) as fp:
            text += fp.read()
    return [(h, '%s: a variable or function in a header, used by no transcript '
             'program, so not checked' % n)
            for n, h in sorted(ours.objects.items())
            if not re.search(r'\b%s\b' % re.escape(n), text)]


def transcript_output(src, inc, out, extra):
    run(['gcc', '-std=gnu11', '-O1', '-Wall', '-Wextra', '-Werror', '-Wshadow', '-D__XEN_TOOLS__']
        + extra + inc + ['-o', out, src])
    return run([out]).stdout


def transcript(ours_root, xen, work, prog, what):
    src = os.path.join(HERE, prog)
    if ('xen', prog) not in xen.cache:
        xen.cache[('xen', prog)] = transcript_output(
            src, xen.inc, os.path.join(work, prog[:-2] + '-xen'), ['-DAGAINST_XEN'])
    theirs = xen.cache[('xen', prog)]
    inc = ['-I', os.path.abspath(ours_root)]
    if ('deps', prog) not in xen.cache:     # which of our headers it reads
        deps = run(['gcc', '-MM', '-D__XEN_TOOLS__'] + inc + [src]).stdout
        root = os.path.abspath(ours_root)
        xen.cache[('deps', prog)] = sorted(os.path.relpath(d, root) for d in
                                           deps.replace('\\\n', ' ').split()[1:]
                                           if d.startswith(root + os.sep))
    h = hashlib.md5(prog.encode())
    for rel in xen.cache[('deps', prog)]:
        with open(os.path.join(ours_root, rel), 'rb') as fp:
            h.update(rel.encode() + fp.read())
    key = ('ours', h.hexdigest())
    if key not in xen.cache:
        try:
            xen.cache[key] = transcript_output(src, inc, os.path.join(work, prog[:-2] + '-ours'), [])
        except RuntimeError as e:
            return '%s: does not build with our headers: %s' % (what, str(e)[-300:])
    ours = xen.cache[key]
    for i, (a, b) in enumerate(zip(ours.splitlines(), theirs.splitlines())):
        if a != b:
            return '%s differs at line %d: ours "%s", Xen\'s "%s"' % (what, i + 1, a, b)
    if len(ours.splitlines()) != len(theirs.splitlines()):
        return '%s differs in length' % what
    return None


# ---------------------------------------------------------------------------
# Every header compiles on its own, hosted and freestanding, as strict C11.

def build_each(ours_root, headers, work, tag, ext, body, flags):
    """Builds one small file per header, each its own translation unit, in
    one gcc run. Returns {header: error text} for those that failed."""
    d = os.path.join(work, 'alone-' + tag)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    names = {}
    for h in headers:
        name = c_id(h) + ext
        names[name] = h
        with open(os.path.join(d, name), 'w') as fp:
            fp.write(body(h))
    cmd = ['gcc'] + flags + ['-I', os.path.abspath(ours_root)]
    p = subprocess.run(cmd + sorted(names), cwd=d, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    bad = {}
    if p.returncode == 0:
        return bad
    for name in sorted(names):      # only on failure: one run each, to say which
        q = subprocess.run(cmd + [name], cwd=d, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if q.returncode != 0:
            lines = [l for l in q.stderr.splitlines() if 'rror' in l] or q.stderr.splitlines()
            bad[names[name]] = lines[:3]
    return bad


@functools.lru_cache(maxsize=None)
def gcc_include_dir():
    return run(['gcc', '-print-file-name=include']).stdout.strip()


def compile_variants(ours_root, headers, work):
    """Every header alone as strict C11: hosted and freestanding, with and
    without __XEN_TOOLS__ (domctl.h and sysctl.h only with)."""
    strict = ['-std=c11', '-pedantic', '-Wall', '-Wextra', '-Werror', '-fsyntax-only',
              '-Wshadow', '-Wstrict-prototypes', '-Wmissing-prototypes', '-Wvla']
    free = ['-ffreestanding', '-nostdinc', '-isystem', gcc_include_dir()]
    body = lambda h: '#include "%s"\ntypedef int abicheck_nonempty_tu;\n' % h
    plain = [h for h in headers if not tools_only(ours_root, h)]
    variants = [('hosted', headers, ['-D__XEN_TOOLS__']), ('hosted-notools', plain, []),
                ('free', headers, free + ['-D__XEN_TOOLS__']), ('free-notools', plain, free)]
    return variants, [(tag, build_each(ours_root, hs, work, tag, '.c', body, strict + extra))
                      for tag, hs, extra in variants]


def assemble_variants(ours_root, headers, work, hypercalls):
    """Every header alone in a .S file; xen.h's .equ hypercall numbers must
    be Xen's."""
    def body(h):
        src = '#include "%s"\n' % h
        if h == 'xen.h':
            for name, value in sorted(hypercalls.items()):
                src += '.if %s != %d\n.error "%s is not %d"\n.endif\n' % (name, value, name, value)
        return src
    plain = [h for h in headers if not tools_only(ours_root, h)]
    variants = [('asm', headers, ['-D__XEN_TOOLS__']), ('asm-notools', plain, [])]
    return variants, [(tag, build_each(ours_root, hs, work, tag, '.S', body,
                                       ['-D__ASSEMBLY__', '-c'] + extra))
                      for tag, hs, extra in variants]


def tools_only(ours_root, rel):
    """domctl.h and sysctl.h refuse to build without __XEN_TOOLS__, as Xen's."""
    with open(os.path.join(ours_root, rel)) as fp:
        text = fp.read()
    return re.search(r'#error .*__XEN_TOOLS__', text) is not None


# ---------------------------------------------------------------------------
# Mutations: each breaks one fact in a copy of our headers; the check must
# then fail, naming the broken item.

MUTATIONS = [
    ('move a field (mmu_update.ptr after val)', 'xen.h',
     '    uint64_t ptr;   /* machine address of the PTE | MMU_* command */\n'
     '    uint64_t val;   /* new contents */\n',
     '    uint64_t val;   /* new contents */\n'
     '    uint64_t ptr;   /* machine address of the PTE | MMU_* command */\n',
     'struct mmu_update.ptr: offset differs'),
    ('change a constant (EVTCHNOP_send)', 'event_channel.h',
     '#define EVTCHNOP_send             4\n', '#define EVTCHNOP_send             5\n',
     'EVTCHNOP_send: value differs'),
    ('change a struct size (vcpu_time_info.pad1)', 'xen.h',
     '    uint8_t  pad1[2];\n', '    uint8_t  pad1[3];\n',
     'struct vcpu_time_info: size differs'),
    ('change field signedness (gnttab_map_grant_ref.status)', 'grant_table.h',
     '    domid_t  dom;\n    int16_t  status;\n    grant_handle_t handle;\n',
     '    domid_t  dom;\n    uint16_t status;\n    grant_handle_t handle;\n',
     'struct gnttab_map_grant_ref.status: signedness differs'),
    ('add a field Xen lacks (evtchn_send.extra)', 'event_channel.h',
     'struct evtchn_send {\n    evtchn_port_t port;\n',
     'struct evtchn_send {\n    evtchn_port_t port;\n    uint32_t extra;\n',
     'struct evtchn_send.extra: field not in Xen'),
    ('add a constant Xen lacks', 'sched.h',
     '#define SCHEDOP_pin_override    7\n',
     '#define SCHEDOP_pin_override    7\n#define SCHEDOP_made_up 8\n',
     'SCHEDOP_made_up: not defined by Xen'),
    ('change a typedef width (grant_ref_t)', 'grant_table.h',
     'typedef uint32_t grant_ref_t;\n', 'typedef uint16_t grant_ref_t;\n',
     'grant_ref_t: size differs'),
    ('change a constant\'s type (DOMID_SELF signed)', 'xen.h',
     '#define DOMID_SELF    xen_mk_uint(0x7FF0)', '#define DOMID_SELF    (0x7FF0)',
     'DOMID_SELF: signedness differs'),
    ('change a string (XS_WRITE_NONE)', 'io/xs_wire.h',
     '#define XS_WRITE_NONE        "NONE"\n', '#define XS_WRITE_NONE        "NONE!"\n',
     'XS_WRITE_NONE: string differs'),
    ('change a hypercall number in the table', 'hypercall-table.h',
     'X(29, sched_op,', 'X(28, sched_op,',
     '__HYPERVISOR_sched_op: value differs'),
    ('change a ring macro (RING_FULL one slot early)', 'io/ring.h',
     '#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)',
     '#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) <= 1)',
     'ring scenario (RING_* behaviour) differs'),
    ('swap two entries of the xenstore error table', 'io/xs_wire.h',
     '    XSD_ERROR(EACCES),\n    XSD_ERROR(EEXIST),\n',
     '    XSD_ERROR(EEXIST),\n    XSD_ERROR(EACCES),\n',
     'xsd_errors table differs'),
    ('change a macro taking a pointer (TI_SET_IF)', 'arch-x86/xen.h',
     '#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))',
     '#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((_if) << 2))',
     'uses of macros taking types or pointers (TI_*, guest handles, UUID, ...) differs'),
    ('change a macro with arguments (XENMEMF_node)', 'memory.h',
     '#define XENMEMF_node(x)             (((x) + 1) << 8)',
     '#define XENMEMF_node(x)             ((x) << 8)',
     'XENMEMF_node(5): value differs'),
    ('hide a constant from the check (only without __XEN_TOOLS__)', 'vcpu.h',
     '#define VCPUOP_send_nmi 11\n',
     '#define VCPUOP_send_nmi 11\n#ifndef __XEN_TOOLS__\n#define VCPUOP_hidden 99\n#endif\n',
     'VCPUOP_hidden: defined only without __XEN_TOOLS__'),
    ('change an expansion (xen_wc_sec_hi)', 'xen.h',
     '#define xen_wc_sec_hi wc_sec_hi\n', '#define xen_wc_sec_hi wc_sec\n',
     'xen_wc_sec_hi: expands to'),
]


def run_mutation(m, ours_root, xen, xen_root, work, ext_path, idx):
    title, rel, old, new, expect = m
    tmp = tempfile.mkdtemp(prefix='abimut-', dir=work)
    try:
        dst = os.path.join(tmp, 'hypercalls')
        shutil.copytree(ours_root, dst)
        path = os.path.join(dst, rel)
        with open(path) as fp:
            text = fp.read()
        if text.count(old) != 1:
            return title, False, 'mutation target not found once in %s' % rel
        with open(path, 'w') as fp:
            fp.write(text.replace(old, new))
        per = check(dst, xen, xen_root, work, ext_path, tag='mut%d' % idx)[0]
        msgs = [msg for v in per.values() for msg in v]
        hit = [msg for msg in msgs if expect in msg]
        if hit:
            return title, True, hit[0]
        return title, False, 'check did not report "%s" (got: %s)' % (expect, msgs[:3])
    except Exception as e:      # a crash is a failed case, not a pass
        return title, False, 'error: %s' % e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ours', default=os.path.join(TOP, 'hypercalls'))
    ap.add_argument('--xen', default='/usr/include')
    ap.add_argument('--work', default=os.path.join(TOP, 'build', 'abi'))
    ap.add_argument('--extensions', default=os.path.join(HERE, 'extensions.txt'))
    ap.add_argument('--no-mutations', action='store_true')
    ap.add_argument('-v', action='store_true', help='list what each group covers')
    a = ap.parse_args()
    passed = failed = 0

    def report(ok, text, details=()):
        nonlocal passed, failed
        print('%s %s' % ('PASS' if ok else 'FAIL', text))
        for d in details:
            print('    ' + d)
        if ok:
            passed += 1
        else:
            failed += 1

    if not os.path.exists(os.path.join(a.xen, 'xen', 'xen.h')):
        report(False, 'Xen headers: %s/xen/xen.h missing (install libxen-dev)' % a.xen)
        print('%d passed, %d failed' % (passed, failed))
        return 1
    os.makedirs(a.work, exist_ok=True)
    headers = our_headers(a.ours)
    xen = Xen(a.xen, headers, a.work)
    try:
        per, counts, stale, headers, hypercalls = check(a.ours, xen, a.xen, a.work, a.extensions)
    except RuntimeError as e:       # e.g. a header that does not parse
        report(False, 'abi: the check could not run on our headers',
               str(e).strip().splitlines()[:12])
        per, counts, stale, hypercalls = {}, {}, [], {}
        a.no_mutations = True
    for h in headers + sorted(k for k in per if k not in headers):
        if not counts and not per:
            break
        c = counts.get(h, {})
        summary = ', '.join('%d %s' % (v, k) for k, v in sorted(c.items())) or 'no names'
        target = 'no Xen counterpart' if xen_counterpart(h, a.xen) is None \
            else 'xen/' + XEN_PATH_OF.get(h, h)
        report(h not in per, 'abi %s vs %s: %s' % (h, target, summary), per.get(h, []))
    report(not stale, 'extensions.txt: every listed name is still ours',
           ['%s is listed but no longer defined' % n for n in stale])

    work = os.path.join(os.path.abspath(a.work), 'main')
    bad, n = table_check(a.ours, xen, work)
    report(not bad and n > 0, 'hypercall table: %d rows, numbers unique and below '
           'XEN_HYPERCALL_MAX, access classes known, every Xen hypercall present' % n, bad)
    variants, results = compile_variants(a.ours, headers, work)
    bad = ['%s (%s): %s' % (h, tag, lines[:3]) for tag, r in results for h, lines in r.items()]
    report(not bad, 'compile: %d headers alone, hosted and freestanding, with and without '
           '__XEN_TOOLS__, -std=c11 -pedantic -Wall -Wextra -Werror and the hypervisor\'s '
           'extra warnings (%d builds)'
           % (len(headers), sum(len(hs) for _, hs, _ in variants)), bad)
    variants, results = assemble_variants(a.ours, headers, work, hypercalls)
    bad = ['%s (%s): %s' % (h, tag, lines[:3]) for tag, r in results for h, lines in r.items()]
    report(not bad and len(hypercalls) > 0,
           'assembly: %d headers alone with -D__ASSEMBLY__ (%d builds); '
           '%d __HYPERVISOR_* .equ values are Xen\'s'
           % (len(headers), sum(len(hs) for _, hs, _ in variants), len(hypercalls)), bad)

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        if not a.no_mutations:
            futs = [pool.submit(run_mutation, m, a.ours, xen, a.xen, a.work,
                                a.extensions, i) for i, m in enumerate(MUTATIONS)]
            for f in futs:
                title, ok, detail = f.result()
                report(ok, 'mutation fails the check: %s' % title, [detail])
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
