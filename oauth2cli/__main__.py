from oauth2cli.entry import main

if __name__ == "__main__":
    main()
