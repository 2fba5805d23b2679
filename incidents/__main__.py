from incidents.cli import main

main()
