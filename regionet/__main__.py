from regionet.cli import main

main()
