import time

def main():
    print('Hello ...')
    time.sleep(1)
    print('...world!')

main()
