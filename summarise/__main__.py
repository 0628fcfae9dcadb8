from summarise.cli.app import main

raise SystemExit(main())
