SELECT area_code FROM core__areas
