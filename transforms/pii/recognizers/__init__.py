"""Our Presidio recognizers, one module per family, beside Presidio's own.

- :mod:`.base`: :class:`LogicRecognizer`, the base of every recognizer whose
  decisions need more than a regex match, and the context tests they share;
- :mod:`.people`: ``PERSON`` (the model's names, names after cues, given
  names from a gazetteer, authors named in code);
- :mod:`.data_names`: ``PERSON`` in records, rows, git logs and copyright
  lines, in code as in prose;
- :mod:`.informal`: ``PERSON`` run together in hashtags and camel case,
  and the re-casing of shouted text for the model;
- :mod:`.places`: ``STREET_ADDRESS``, the addressee above an address
  (``PERSON``), places named as someone's home (``LOCATION``);
- :mod:`.online`: ``EMAIL_ADDRESS``, ``IP_ADDRESS``;
- :mod:`.accounts`: ``USER_HANDLE``, ``PROFILE_URL``, ``USERNAME``,
  ``HOME_PATH``, ``HOSTNAME`` (accounts and the traces of a person's machine);
- :mod:`.identity`: ``DATE_OF_BIRTH``, ``NATIONAL_ID``;
- :mod:`.numbers`: ``PHONE_NUMBER``, ``CREDIT_CARD``, ``IBAN_CODE``,
  ``US_DRIVER_LICENSE``, ``US_SSN``;
- :mod:`.local`: ``PERSON`` and ``PHONE_NUMBER`` in messages of the routed
  languages (German, Spanish, French, Italian, Dutch, Portuguese), without
  the English model;
- :mod:`.secrets`: ``API_KEY``, ``AWS_ACCESS_KEY``, ``AWS_SECRET_KEY``, ``JWT``,
  ``PRIVATE_KEY``, ``CREDENTIAL``.

Each recognizer is a small Presidio class whose name is its class name; the
catalogue of those names, and which of them run, is
:mod:`transforms.pii.registry` (configured in ``config/pii.yaml``).
"""

from transforms.pii.recognizers.accounts import (
    HomePathRecognizer,
    HostnameRecognizer,
    ProfileUrlRecognizer,
    UserHandleRecognizer,
    UsernameRecognizer,
)
from transforms.pii.recognizers.base import LexiconRecognizer, LogicRecognizer
from transforms.pii.recognizers.data_names import DataNameRecognizer
from transforms.pii.recognizers.identity import DateOfBirthRecognizer, NationalIdRecognizer
from transforms.pii.recognizers.informal import JoinedNameRecognizer
from transforms.pii.recognizers.local import (
    LocalGivenNameRecognizer,
    LocalNameCueRecognizer,
    LocalPhoneRecognizer,
)
from transforms.pii.recognizers.numbers import (
    CardNumberRecognizer,
    DriverLicenseRecognizer,
    IbanNumberRecognizer,
    PhoneNumberRecognizer,
    SsnRecognizer,
)
from transforms.pii.recognizers.online import IpRecognizer, OfflineEmailRecognizer
from transforms.pii.recognizers.people import (
    CodeAuthorRecognizer,
    GivenNameRecognizer,
    NerPersonRecognizer,
    PersonCueRecognizer,
    PersonRecognizer,
)
from transforms.pii.recognizers.places import (
    AddresseeRecognizer,
    PersonalLocationRecognizer,
    StreetAddressRecognizer,
)
from transforms.pii.recognizers.secret_catalogue import SECRET_RECOGNIZERS
from transforms.pii.recognizers.secrets import SECRET_ENTITIES

__all__ = [
    "SECRET_ENTITIES",
    "SECRET_RECOGNIZERS",
    "LogicRecognizer",
    "LexiconRecognizer",
    "UserHandleRecognizer",
    "ProfileUrlRecognizer",
    "UsernameRecognizer",
    "HomePathRecognizer",
    "HostnameRecognizer",
    "DateOfBirthRecognizer",
    "NationalIdRecognizer",
    "PersonRecognizer",
    "NerPersonRecognizer",
    "PersonCueRecognizer",
    "GivenNameRecognizer",
    "CodeAuthorRecognizer",
    "DataNameRecognizer",
    "JoinedNameRecognizer",
    "AddresseeRecognizer",
    "PersonalLocationRecognizer",
    "StreetAddressRecognizer",
    "OfflineEmailRecognizer",
    "IpRecognizer",
    "PhoneNumberRecognizer",
    "CardNumberRecognizer",
    "IbanNumberRecognizer",
    "DriverLicenseRecognizer",
    "SsnRecognizer",
    "LocalNameCueRecognizer",
    "LocalGivenNameRecognizer",
    "LocalPhoneRecognizer",
]
