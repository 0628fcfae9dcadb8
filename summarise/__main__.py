from summarise.cli import main

raise SystemExit(main())
