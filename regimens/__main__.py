import sys

from regimens.cli import main

sys.exit(main())
