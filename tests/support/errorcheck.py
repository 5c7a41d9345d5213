"""One assertion for every bad-input test: exit 2, one line on stderr, no traceback."""
import re


def assert_input_error(result, pattern, out_empty=True):
    """``pattern`` is a regular expression that must match the whole message line."""
    assert result.status == 2, (result.status, result.out, result.err)
    assert "Traceback" not in result.err
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    line = result.err[:-1]
    assert re.fullmatch(pattern, line), f"{line!r} does not match {pattern!r}"
    if out_empty:
        assert result.out == ""
    return line
