"""Reading the program's editable data files (criteria catalogues, score sheets) strictly.

An administrator may edit these JSON files; a mistake must give a Vietnamese message that names
the file, the place in it and the fault, never a traceback or a silently wrong rule.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from antq_desktop.errors import UserError


class DataChecker:
    """Reads one JSON value after another, raising a UserError that names the source and place."""

    def __init__(self, subject: str, advice: str):
        self.subject = subject  # e.g. 'Tệp tiêu chí "…/tt124-2021.json"'
        self.advice = advice    # what the user can do about it

    def fail(self, where: str, problem: str) -> UserError:
        place = f" (ở {where})" if where else ""
        return UserError(f"{self.subject} không dùng được: {problem}{place}. {self.advice}")

    def read_json(self, path: Path, **options):
        """The file's JSON; an unreadable file or a syntax error is named with its line and column."""
        try:
            return json.loads(path.read_text(encoding="utf-8"), **options)
        except OSError as exc:
            raise self.fail("", f"không đọc được tệp ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise self.fail("", "tệp không ở mã UTF-8") from None
        except json.JSONDecodeError as exc:
            problem = "sai cú pháp JSON (thiếu hoặc thừa dấu phẩy, ngoặc, nháy kép?)"
            raise self.fail(f"dòng {exc.lineno}, cột {exc.colno}", problem) from None

    def obj(self, value, where: str, required: set[str] | None = None, optional: frozenset[str] | set[str] = frozenset()
            ) -> dict:
        """An object; with ``required`` given, any other key than those and ``optional`` is refused
        (a misspelt optional key would otherwise be ignored without a word)."""
        if not isinstance(value, dict):
            raise self.fail(where, "cần một đối tượng {...}")
        if required is not None:
            unknown = sorted(str(key) for key in value if key not in required | optional)
            if unknown:
                raise self.fail(where, "khóa không dùng được: " + ", ".join(f'"{key}"' for key in unknown))
        return value

    def items(self, value, where: str, allow_empty: bool = False) -> list:
        if not isinstance(value, list) or not (value or allow_empty):
            raise self.fail(where, "cần một danh sách [...]" + ("" if allow_empty else " không rỗng"))
        return value

    def text(self, obj: dict, key: str, where: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f'thiếu "{key}" hoặc "{key}" không phải chữ')
        return unicodedata.normalize("NFC", value.strip())

    def flag(self, obj: dict, key: str, where: str, default: bool | None = None) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f'"{key}" phải là true hoặc false')
        return value
