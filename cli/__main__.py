from rasd.cli.app import main

main()
