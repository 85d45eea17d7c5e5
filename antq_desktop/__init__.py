"""ANTQ Desktop: records of the ward's movement "Toàn dân bảo vệ an ninh Tổ quốc"."""

__version__ = "0.6.0"
