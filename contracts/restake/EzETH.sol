// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Local stand-in for Renzo's ezETH (tests and devnet): 18 decimals, minted only by the restake manager.
contract EzETH is ERC20, Ownable {
    address public minter;

    event MinterSet(address indexed minter);

    error NotMinter(address caller);

    constructor(address owner_) ERC20("Renzo Restaked ETH (local)", "ezETH") Ownable(owner_) {}

    function setMinter(address minter_) external onlyOwner {
        minter = minter_;
        emit MinterSet(minter_);
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }
}
