#
# Copyright 2012 Red Hat Inc.
#
# This program is free software: you can redistribute it and/or modify
# it under the terms of the GNU Lesser General Public License as published
# by the Free Software Foundation; either version 2.1 of the licence or (at
# your option) any later version.
#
# See the included COPYING file for more information.
#

from .service import SecretItem, SecretCollection, SecretService, SecretPrompt
from .service import PlainAlgorithm, NotSupported
