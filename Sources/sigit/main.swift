print("sigit")
