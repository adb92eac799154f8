module github.com/meeboter/meeboter

go 1.26
