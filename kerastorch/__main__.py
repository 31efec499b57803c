"""`python -m kerastorch` / `kerastorch`: run a Keras script on kerastorch, or port it.

    kerastorch run script.py [args...]     run it unchanged (keras / tensorflow.keras / tf_keras
                                           and tf.ones & co. resolve to kerastorch)
    kerastorch port script.py [--write]    print a unified diff to kerastorch imports (stdout)
                                           and the report of Keras APIs used (stderr)
"""

import argparse
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="kerastorch", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a Keras script unchanged on kerastorch")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    port = sub.add_parser("port", help="rewrite a script's imports for kerastorch")
    port.add_argument("script")
    port.add_argument("--write", action="store_true", help="rewrite the file in place")
    port.add_argument("--strict", action="store_true",
                      help="exit with status 1 when the script uses unsupported APIs")
    # `run` hands everything after the script to the script, flags included.
    if len(argv) >= 2 and argv[0] == "run":
        opts = argparse.Namespace(command="run", script=argv[1], args=argv[2:])
        if argv[1] in ("-h", "--help"):
            parser.parse_args(argv)
    else:
        opts = parser.parse_args(argv)

    import os
    if not os.path.isfile(opts.script):
        parser.error(f"no such script: {opts.script}")
    if opts.command == "run":
        from kerastorch.porting.errors import NotSupportedError
        from kerastorch.porting.run import run_script
        try:
            run_script(opts.script, opts.args)
        except NotSupportedError as err:
            _print_script_error(err)
            return 1
        return 0
    from kerastorch.porting.port import port_file
    result = port_file(opts.script, write=opts.write)
    if not opts.write:
        sys.stdout.write(result.diff(opts.script))
        sys.stdout.flush()
    sys.stderr.write(result.report(opts.script))
    return 1 if opts.strict and result.unsupported else 0


def _print_script_error(err):
    """The error with the traceback frames of the script only (not runpy's or kerastorch's)."""
    import os
    import traceback
    package = os.path.dirname(os.path.abspath(__file__))
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if not f.filename.startswith(("<frozen", package + os.sep))]
    sys.stderr.write("Traceback (most recent call last):\n")
    sys.stderr.write("".join(traceback.format_list(frames)))
    sys.stderr.write(f"{type(err).__name__}: {err}\n")


if __name__ == "__main__":
    sys.exit(main())
