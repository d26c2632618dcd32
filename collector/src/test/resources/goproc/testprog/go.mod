module example.com/gopherlens/testprog

go 1.19
