print("manifestc")
