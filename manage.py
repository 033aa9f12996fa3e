#!/usr/bin/env python
from abwab.cli import main

if __name__ == "__main__":
    main()
