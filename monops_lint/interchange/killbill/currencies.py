"""The currencies Kill Bill's catalog schema accepts (its ``currency`` enumeration), and
the minor-unit digits of those outside the ISO 4217 table monops reads.

A price in another currency cannot be exported; a price in one of ``DIGITS``' codes is
imported with that currency declared in monops.yaml (``currencies: {BTC: {digits: 8}}``).
"""

from __future__ import annotations

_ENUMERATION = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYR BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP
    INR IQD IRR ISK JEP JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
    LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO
    NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
    SGD SHP SLL SOS SPL SRD STD SVC SYP SZL THB TJS TMT TND TOP TRY TTD TVD TWD TZS UAH
    UGX USD UYU UZS VEF VND VUV WST XAF XCD XDR XOF XPF YER ZAR ZMW ZWD BTC
"""

KILLBILL_CURRENCIES: frozenset[str] = frozenset(_ENUMERATION.split())

DIGITS: dict[str, int] = {
    # Withdrawn ISO codes Kill Bill still lists, with the digits ISO gave them.
    "ANG": 2, "BGN": 2, "BYR": 0, "CUC": 2, "HRK": 2, "LTL": 2, "LVL": 2, "MRO": 2,
    "SLL": 2, "STD": 2, "VEF": 2, "ZWD": 2,
    # Not ISO 4217 at all: local pounds and dollars in hundredths, bitcoin in satoshis.
    "GGP": 2, "IMP": 2, "JEP": 2, "SPL": 2, "TVD": 2, "BTC": 8,
}
"""Minor-unit digits of the Kill Bill currencies a config may have to declare."""
