import SigitCore

SigitEntry.main()
